-- Heartbeat of one node: refreshes its hash and TTL if the hash still exists, lists the members
-- whose heartbeat expired, and returns the node's unreported lost calls.
-- KEYS[1] node hash, KEYS[2] nodes set, KEYS[3] the node's lost hash
-- ARGV[1] key prefix, ARGV[2] node id, ARGV[3] instance, ARGV[4] TTL ms, ARGV[5..] field, value, ...
-- Returns {existed, conflict, deadIds, lostPairs}. existed = 0: the hash is gone (Redis restarted
-- empty, or the node was taken for dead) and the caller must run sync.lua. conflict = 1: another
-- process heartbeats under the same node id.
local instance = redis.call('HGET', KEYS[1], 'instance')
if not instance then
  return {0, 0, {}, {}}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local conflict = 0
if instance ~= ARGV[3] then
  conflict = 1
end
local dead = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if id ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'node:' .. id) == 0 then
    dead[#dead + 1] = id
  end
end
return {1, conflict, dead, redis.call('HGETALL', KEYS[3])}
