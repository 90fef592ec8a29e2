-- Takes over a dead node: removes each call it still holds and records it in the reaper's lost
-- hash (callId -> dead node id), for the reaper to report as call.lost; inherits the dead node's
-- own unreported losses; removes the node. Atomic, and a no-op once done or when the node beat
-- again, so however many nodes notice the death at once, each lost call is recorded once.
-- KEYS[1] dead node's hash, KEYS[2] nodes set, KEYS[3] dead node's calls set,
-- KEYS[4] dead node's lost hash, KEYS[5] the reaper's lost hash
-- ARGV[1] key prefix, ARGV[2] dead node id
-- Returns the reaper's lost hash as callId, node pairs.
if redis.call('EXISTS', KEYS[1]) == 0 then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    local key = ARGV[1] .. 'call:' .. id
    if redis.call('HGET', key, 'node') == ARGV[2] then
      redis.call('DEL', key)
      redis.call('HSET', KEYS[5], id, ARGV[2])
    end
  end
  local inherited = redis.call('HGETALL', KEYS[4])
  for i = 1, #inherited, 2 do
    redis.call('HSET', KEYS[5], inherited[i], inherited[i + 1])
  end
  redis.call('DEL', KEYS[3], KEYS[4])
  redis.call('SREM', KEYS[2], ARGV[2])
end
return redis.call('HGETALL', KEYS[5])
