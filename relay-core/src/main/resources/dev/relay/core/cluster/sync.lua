-- (Re-)registers a node and every call it holds, and drops what Redis holds for it that it no
-- longer has. Run at start, when the heartbeat finds the node's hash gone, and after operations
-- failed while Redis was away.
-- KEYS[1] node hash, KEYS[2] nodes set, KEYS[3] the node's calls set
-- ARGV[1] key prefix, ARGV[2] node id, ARGV[3] TTL ms, ARGV[4] n, ARGV[5..4+n] node field, value, ...
-- then four per call: callId, route, mobileNo, startedAt.
-- Returns {staleIds, conflictIds}: ids Redis held for the node that it no longer holds (removed),
-- and ids the node holds that are live on another node (left to that node).
local p, me, n = ARGV[1], ARGV[2], tonumber(ARGV[4])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 5, 4 + n))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], me)
local live, conflicts = {}, {}
for i = 5 + n, #ARGV, 4 do
  local id = ARGV[i]
  local key = p .. 'call:' .. id
  local owner = redis.call('HGET', key, 'node')
  if owner and owner ~= me and redis.call('EXISTS', p .. 'node:' .. owner) == 1 then
    conflicts[#conflicts + 1] = id
    live[id] = 'elsewhere'
  else
    if owner and owner ~= me then
      redis.call('SREM', p .. 'node:' .. owner .. ':calls', id)
    end
    live[id] = 'here'
    redis.call('HSET', key, 'node', me, 'route', ARGV[i + 1], 'mobileNo', ARGV[i + 2], 'startedAt', ARGV[i + 3])
    redis.call('SADD', KEYS[3], id)
  end
end
local stale = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if live[id] ~= 'here' then
    redis.call('SREM', KEYS[3], id)
    if not live[id] then
      stale[#stale + 1] = id
      local key = p .. 'call:' .. id
      if redis.call('HGET', key, 'node') == me then
        redis.call('DEL', key)
      end
    end
  end
end
return {stale, conflicts}
