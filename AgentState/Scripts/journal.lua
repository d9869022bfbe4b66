-- Records one call of the running step in the run's journal before the worker acts on it: a model answer, a tool
-- result or a decision, fenced like a commit. ARGV[6]: owner, ARGV[7]: fence, ARGV[8]: step, ARGV[9]: slot (the Nth
-- call of the step), ARGV[10]: entry JSON, ARGV[11]: attempt, ARGV[12]: log action ('' for none), ARGV[13]: log
-- details, ARGV[14]: usage 'tokens_in tokens_out tokens_cached cost' ('' for a call that costs nothing).
-- The usage is added to the run's totals and the step's at once, in the same script as the entry: a call paid for is
-- counted once, even when the attempt that paid for it crashes before its step commits.
-- Replies {'recorded', status[, tokens_in, tokens_out, tokens_cached, cost, model_calls]}: the run's totals after a call
-- with usage.
local run, refused = read_for_commit(ARGV[6], ARGV[7])
if refused then return refused end
local step = ARGV[8]
if tonumber(run[3] or '0') ~= tonumber(step) - 1 then return {'out_of_order', run[3] or '0'} end
-- A resumed attempt that called again where its journal disagreed overwrites the slot; the count grows once per slot.
if redis.call('HSET', calls_key, step .. ':' .. ARGV[9], ARGV[10]) == 1 then
  redis.call('HINCRBY', state_key, 'journal_step_' .. step, 1)
end
-- A recorded call is progress like a commit: a long model loop that crashes between its turns is not poison.
if run[5] and run[5] ~= '0' then redis.call('HSET', state_key, 'stalled_deliveries', '0') end
redis.call('EXPIRE', calls_key, ttl)
local totals = {'recorded', run[1]}
if ARGV[14] ~= '' then
  local names = {'tokens_in', 'tokens_out', 'tokens_cached', 'cost'}
  local i = 0
  for amount in string.gmatch(ARGV[14], '%S+') do
    i = i + 1
    totals[#totals + 1] = tostring(redis.call('HINCRBY', state_key, names[i], amount))
    redis.call('HINCRBY', state_key, names[i] .. '_step_' .. step, amount)
  end
  totals[#totals + 1] = tostring(redis.call('HINCRBY', state_key, 'model_calls', 1))
  redis.call('HINCRBY', state_key, 'model_calls_step_' .. step, 1)
end
if ARGV[12] ~= '' then add_log(ARGV[12], ARGV[13], step, ARGV[11]) end
return totals
