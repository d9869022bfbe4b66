-- Saves one workflow checkpoint. KEYS[5]: checkpoints HASH, KEYS[6]: index LIST ("ID PARENT", commit order).
-- ARGV[6]: owner ('' saves without a run: the store used on its own), ARGV[7]: fence, ARGV[8]: checkpoint id,
-- ARGV[9]: parent id ('' for none), ARGV[10]: checkpoint JSON, ARGV[11]: attempt, ARGV[12]: step name,
-- ARGV[13]: step result JSON, ARGV[14]: log details.
-- Under a lease the checkpoint is the run's next step, committed as a step commit is (commit_step): same checks, same
-- fields and log entry, same TTL renewal; the checkpoint keys are renewed with the run's. Replies
-- {'committed', step, renewed} like a step commit, so the caller touches the listing index alike.
local checkpoints_key, index_key = KEYS[5], KEYS[6]
local function save()
  if redis.call('HSETNX', checkpoints_key, ARGV[8], ARGV[10]) == 0 then return nil end
  return redis.call('RPUSH', index_key, ARGV[8] .. ' ' .. ARGV[9])
end
local function renew_checkpoints()
  redis.call('EXPIRE', checkpoints_key, ttl)
  redis.call('EXPIRE', index_key, ttl)
end

if ARGV[6] == '' then
  if not save() then return {'exists', ''} end
  renew_checkpoints()
  return {'saved', ''}
end

local run, refused = read_for_commit(ARGV[6], ARGV[7])
if refused then return refused end
local saved = save()
if not saved then return {'exists', ''} end
local step = tonumber(run[3] or '0') + 1
local renewed = commit_step(run, step, ARGV[12], ARGV[13], ARGV[14], ARGV[11], {})
-- The first checkpoint creates the keys: they get the TTL at once, then with every renewal of the run.
if renewed or saved == 1 then renew_checkpoints() end
return {'committed', tostring(step), renewed and '1' or '0'}
