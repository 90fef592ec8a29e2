-- Every member of the cluster and its hash.
-- KEYS[1] nodes set; ARGV[1] key prefix
-- Returns nodeId, fieldValuePairs, ... (pairs empty when the node's heartbeat expired).
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. 'node:' .. id)
end
return out
