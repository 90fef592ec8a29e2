-- Which node holds a call, and its control URL while its heartbeat is alive.
-- KEYS[1] call hash; ARGV[1] key prefix
-- Returns {} when no node holds it, else {nodeId, controlUrl or nil when the heartbeat expired}.
local owner = redis.call('HGET', KEYS[1], 'node')
if not owner then
  return {}
end
return {owner, redis.call('HGET', ARGV[1] .. 'node:' .. owner, 'controlUrl')}
