-- Commits one step: lease and fence check, result and current_step, TTLs, log entry. All or nothing.
-- ARGV[6]: owner, ARGV[7]: fence, ARGV[8]: step, ARGV[9]: step name, ARGV[10]: result JSON,
-- ARGV[11]: lease milliseconds, ARGV[12]: attempt, ARGV[13]: log details,
-- ARGV[14]: '1' when this is the last step: the run completes and the lease is released in the same step.
local s = redis.call('HMGET', state_key, 'fence', 'status', 'current_step')
-- A deleted or ended run stops its worker even when the lease went with it (DeleteAsync, a cancel that released it).
if not s[2] or s[2] == 'cancelled' or s[2] == 'complete' or s[2] == 'failed' then return {'stopped', s[2] or ''} end
if redis.call('GET', lease_key) ~= ARGV[6] then return {'fenced', ''} end
if s[1] ~= ARGV[7] then return {'fenced', ''} end
if s[2] ~= 'in_progress' then return {'stopped', s[2] or ''} end
local step = tonumber(ARGV[8])
if tonumber(s[3] or '0') ~= step - 1 then return {'out_of_order', s[3] or '0'} end
redis.call('HSET', state_key, 'result_step_' .. step, ARGV[10], 'step_name_' .. step, ARGV[9],
  'step_at_' .. step, now, 'current_step', ARGV[8])
touch()
redis.call('PEXPIRE', lease_key, ARGV[11])
log(ARGV[9], ARGV[13], ARGV[8], ARGV[12])
if ARGV[14] == '1' then
  redis.call('HSET', state_key, 'status', 'complete')
  redis.call('DEL', lease_key)
  log('complete', '{"status":"done"}', ARGV[8], ARGV[12])
  return {'committed', 'complete'}
end
return {'committed', 'in_progress'}
