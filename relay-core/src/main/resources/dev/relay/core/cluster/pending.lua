-- Stores a pending outbound call with its TTL, replacing an earlier entry for the same id.
-- KEYS[1] pending hash; ARGV[1] TTL ms, ARGV[2..] field, value, ...
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
