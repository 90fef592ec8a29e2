-- Claims a callId for a node: refused while the id is held by a node whose heartbeat is alive;
-- takes the id's pending outbound entry in the same step.
-- KEYS[1] call hash, KEYS[2] the node's calls set, KEYS[3] pending hash
-- ARGV[1] key prefix, ARGV[2] node id, ARGV[3] callId, ARGV[4] route, ARGV[5] mobileNo, ARGV[6] startedAt
-- Returns {1, pendingPairs} when claimed (the pending route wins), {0, ownerId} when refused.
local owner = redis.call('HGET', KEYS[1], 'node')
if owner and owner ~= ARGV[2] then
  if redis.call('EXISTS', ARGV[1] .. 'node:' .. owner) == 1 then
    return {0, owner}
  end
  -- The holder's heartbeat expired: the call is live nowhere, so the id is free again.
  redis.call('SREM', ARGV[1] .. 'node:' .. owner .. ':calls', ARGV[3])
end
local pending = redis.call('HGETALL', KEYS[3])
local route = ARGV[4]
for i = 1, #pending, 2 do
  if pending[i] == 'route' then
    route = pending[i + 1]
  end
end
if #pending > 0 then
  redis.call('DEL', KEYS[3])
end
redis.call('HSET', KEYS[1], 'node', ARGV[2], 'route', route, 'mobileNo', ARGV[5], 'startedAt', ARGV[6])
redis.call('SADD', KEYS[2], ARGV[3])
return {1, pending}
