-- Reads a cached tool result, or takes the stampede lock to compute it, in one atomic step (same hash slot).
-- KEYS[1]: cache entry, KEYS[2]: lock. ARGV[1]: lock token, ARGV[2]: lock milliseconds.
-- Returns {'hit', value}, {'locked'} (the caller computes) or {'wait'} (another caller computes).
local value = redis.call('GET', KEYS[1])
if value then return {'hit', value} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'locked'} end
return {'wait'}
