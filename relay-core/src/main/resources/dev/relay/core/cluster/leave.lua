-- A node leaving cleanly: its calls, its lost hash, its hash and its membership go.
-- KEYS[1] node hash, KEYS[2] nodes set, KEYS[3] the node's calls set, KEYS[4] the node's lost hash
-- ARGV[1] key prefix, ARGV[2] node id
-- Returns the number of calls removed.
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local key = ARGV[1] .. 'call:' .. id
  if redis.call('HGET', key, 'node') == ARGV[2] then
    redis.call('DEL', key)
    removed = removed + 1
  end
end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
redis.call('SREM', KEYS[2], ARGV[2])
return removed
