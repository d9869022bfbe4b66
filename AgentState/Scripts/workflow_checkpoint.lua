-- Saves one workflow checkpoint. KEYS[4]: checkpoints HASH, KEYS[5]: index LIST ("ID PARENT", commit order).
-- ARGV[6]: owner ('' saves without a run: the store used on its own), ARGV[7]: fence, ARGV[8]: checkpoint id,
-- ARGV[9]: parent id ('' for none), ARGV[10]: checkpoint JSON, ARGV[11]: lease milliseconds, ARGV[12]: attempt,
-- ARGV[13]: step name, ARGV[14]: step result JSON, ARGV[15]: log details.
-- Under a lease the checkpoint is the run's next step: lease and fence checked, result, current_step, TTLs and log
-- entry written together, so a stale owner's checkpoint is refused and never lands.
local checkpoints_key, index_key = KEYS[4], KEYS[5]
local function save()
  if redis.call('HSETNX', checkpoints_key, ARGV[8], ARGV[10]) == 0 then return false end
  redis.call('RPUSH', index_key, ARGV[8] .. ' ' .. ARGV[9])
  redis.call('EXPIRE', checkpoints_key, ttl)
  redis.call('EXPIRE', index_key, ttl)
  return true
end

if ARGV[6] == '' then
  if not save() then return {'exists', ''} end
  return {'saved', ''}
end

local s = redis.call('HMGET', state_key, 'fence', 'status', 'current_step')
if not s[2] or s[2] == 'cancelled' or s[2] == 'complete' or s[2] == 'failed' then return {'stopped', s[2] or ''} end
if redis.call('GET', lease_key) ~= ARGV[6] then return {'fenced', ''} end
if s[1] ~= ARGV[7] then return {'fenced', ''} end
if s[2] ~= 'in_progress' then return {'stopped', s[2]} end
if not save() then return {'exists', ''} end
local step = tonumber(s[3] or '0') + 1
redis.call('HSET', state_key, 'result_step_' .. step, ARGV[14], 'step_name_' .. step, ARGV[13],
  'step_at_' .. step, now, 'current_step', step)
touch()
redis.call('PEXPIRE', lease_key, ARGV[11])
log(ARGV[13], ARGV[15], step, ARGV[12])
return {'committed', tostring(step)}
