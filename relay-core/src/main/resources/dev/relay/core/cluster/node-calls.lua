-- The calls one node holds.
-- KEYS[1] the node's calls set; ARGV[1] key prefix, ARGV[2] node id
-- Returns callId, route, mobileNo, startedAt, ... for each call whose hash names the node.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local f = redis.call('HMGET', ARGV[1] .. 'call:' .. id, 'node', 'route', 'mobileNo', 'startedAt')
  if f[1] == ARGV[2] then
    out[#out + 1] = id
    out[#out + 1] = f[2] or ''
    out[#out + 1] = f[3] or ''
    out[#out + 1] = f[4] or '0'
  end
end
return out
