-- Takes the lease of a queued or interrupted run, bumps its fence and returns the whole checkpoint.
-- ARGV[6]: owner token, ARGV[7]: lease milliseconds.
local s = redis.call('HMGET', state_key, 'status', 'current_step', 'fence', 'attempt', 'renewed_at')
local status = s[1]
if not status then return {'missing', ''} end
if status ~= 'queued' and status ~= 'in_progress' then return {'finished', status} end
if not redis.call('SET', lease_key, ARGV[6], 'NX', 'PX', ARGV[7]) then return {'busy', status} end
local fence = tostring(tonumber(s[3] or '0') + 1)
local attempt = tostring(tonumber(s[4] or '0') + 1)
local due = renew_due(s[5])
-- One write for every changed field: fence, attempt, status and time (and the TTL renewal when due).
if due then
  redis.call('HSET', state_key, 'fence', fence, 'attempt', attempt, 'status', 'in_progress', 'updated_at', now, 'renewed_at', now)
else
  redis.call('HSET', state_key, 'fence', fence, 'attempt', attempt, 'status', 'in_progress', 'updated_at', now)
end
local step = tonumber(s[2] or '0')
add_log(step > 0 and 'resumed' or 'started', cjson.encode({fence = tonumber(fence), nextStep = step + 1}), tostring(step), attempt)
if due then renew() end
return {'claimed', status, redis.call('HGETALL', state_key)}
