-- Removes a call, compare-and-delete: only the node holding it may remove it.
-- KEYS[1] call hash, KEYS[2] the node's calls set; ARGV[1] node id, ARGV[2] callId
-- Returns 1 when the call hash was removed, 0 when another node (or none) held it.
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('HGET', KEYS[1], 'node') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
