-- Takes the lease of a queued or interrupted run, bumps its fence and returns the whole checkpoint.
-- ARGV[6]: owner token, ARGV[7]: lease milliseconds.
local s = redis.call('HMGET', state_key, 'status', 'current_step')
local status = s[1]
if not status then return {'missing', ''} end
if status ~= 'queued' and status ~= 'in_progress' then return {'finished', status} end
if redis.call('GET', lease_key) then return {'busy', status} end
redis.call('SET', lease_key, ARGV[6], 'PX', ARGV[7])
local fence = redis.call('HINCRBY', state_key, 'fence', 1)
local attempt = redis.call('HINCRBY', state_key, 'attempt', 1)
redis.call('HSET', state_key, 'status', 'in_progress')
touch()
local step = tonumber(s[2] or '0')
log(step > 0 and 'resumed' or 'started', cjson.encode({fence = fence, nextStep = step + 1}), tostring(step), tostring(attempt))
return {'claimed', status, redis.call('HGETALL', state_key)}
