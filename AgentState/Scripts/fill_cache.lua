-- Stores a computed tool result with its TTL and releases the caller's stampede lock, in one step.
-- KEYS[1]: cache entry, KEYS[2]: lock. ARGV[1]: value, ARGV[2]: ttl seconds, ARGV[3]: lock token.
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
