-- Commits one step: lease and fence check, result and current_step, log entry. All or nothing.
-- ARGV[6]: owner, ARGV[7]: fence, ARGV[8]: step, ARGV[9]: step name, ARGV[10]: result JSON, ARGV[11]: attempt,
-- ARGV[12]: log details, ARGV[13]: '1' when this is the last step: the run completes and the lease is released.
-- Replies {'committed', status, renewed}: renewed is '1' when the TTLs were renewed (then the caller touches the index).
-- The lease is not extended here: the worker's renewal loop keeps it.
local run, refused = read_for_commit(ARGV[6], ARGV[7])
if refused then return refused end
local step = tonumber(ARGV[8])
if tonumber(run[3] or '0') ~= step - 1 then return {'out_of_order', run[3] or '0'} end
local last = ARGV[13] == '1'
local renewed = commit_step(run, ARGV[8], ARGV[9], ARGV[10], ARGV[12], ARGV[11], last and {'status', STATUS_COMPLETE} or {})
if last then
  redis.call('DEL', lease_key)
  add_log(ACTION_COMPLETE, '{"status":"done"}', ARGV[8], ARGV[11])
end
return {'committed', last and STATUS_COMPLETE or STATUS_IN_PROGRESS, renewed and '1' or '0'}
