-- Commits one step: lease and fence check, result and current_step, log entry. All or nothing.
-- ARGV[6]: owner, ARGV[7]: fence, ARGV[8]: step, ARGV[9]: step name, ARGV[10]: result JSON, ARGV[11]: attempt,
-- ARGV[12]: log details, ARGV[13]: '1' when this is the last step: the run completes and the lease is released.
-- Replies {'committed', status, renewed}: renewed is '1' when the TTLs were renewed (then the caller touches the index).
-- The lease is not extended here: the worker's renewal loop keeps it.
local s = redis.call('HMGET', state_key, 'fence', 'status', 'current_step', 'renewed_at')
-- A deleted or ended run stops its worker even when the lease went with it (DeleteAsync, a cancel that released it).
if not s[2] or s[2] == 'cancelled' or s[2] == 'complete' or s[2] == 'failed' then return {'stopped', s[2] or ''} end
if redis.call('GET', lease_key) ~= ARGV[6] then return {'fenced', ''} end
if s[1] ~= ARGV[7] then return {'fenced', ''} end
if s[2] ~= 'in_progress' then return {'stopped', s[2] or ''} end
local step = tonumber(ARGV[8])
if tonumber(s[3] or '0') ~= step - 1 then return {'out_of_order', s[3] or '0'} end
local last = ARGV[13] == '1'
local due = renew_due(s[4])
local fields = {'result_step_' .. step, ARGV[10], 'step_name_' .. step, ARGV[9], 'step_at_' .. step, now,
  'current_step', ARGV[8], 'updated_at', now}
if last then fields[#fields + 1] = 'status'; fields[#fields + 1] = 'complete' end
if due then fields[#fields + 1] = 'renewed_at'; fields[#fields + 1] = now end
redis.call('HSET', state_key, unpack(fields))
add_log(ARGV[9], ARGV[12], ARGV[8], ARGV[11])
if last then
  redis.call('DEL', lease_key)
  add_log('complete', '{"status":"done"}', ARGV[8], ARGV[11])
end
if due then renew() end
return {'committed', last and 'complete' or 'in_progress', due and '1' or '0'}
