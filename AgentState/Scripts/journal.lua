-- Records one call of the running step in the run's journal before the worker acts on it: a model answer, a tool
-- result or a decision, fenced like a commit. ARGV[6]: owner, ARGV[7]: fence, ARGV[8]: step, ARGV[9]: slot (the Nth
-- call of the step), ARGV[10]: entry JSON, ARGV[11]: attempt, ARGV[12]: log action ('' for none), ARGV[13]: log
-- details, ARGV[14]: usage 'tokens_in tokens_out tokens_cached cost' ('' for a call that costs nothing).
-- The usage is added to the run's totals and the step's at once, in the same script as the entry: a call paid for is
-- counted once, even when the attempt that paid for it crashes before its step commits. The totals are read in one
-- HMGET and written in one HSET with the journal count, rather than an HINCRBY each.
-- Replies {'recorded', status[, tokens_in, tokens_out, tokens_cached, cost, model_calls]}: the run's totals after a call
-- with usage.
local run, refused = read_for_commit(ARGV[6], ARGV[7])
if refused then return refused end
local step = ARGV[8]
if tonumber(run[3] or '0') ~= tonumber(step) - 1 then return {'out_of_order', run[3] or '0'} end

local names = {'journal_step_' .. step}
local usage = {}
if ARGV[14] ~= '' then
  for amount in string.gmatch(ARGV[14], '%S+') do usage[#usage + 1] = tonumber(amount) end
  usage[#usage + 1] = 1
  for _, total in ipairs({'tokens_in', 'tokens_out', 'tokens_cached', 'cost', 'model_calls'}) do
    names[#names + 1] = total
    names[#names + 1] = total .. '_step_' .. step
  end
end
local current = redis.call('HMGET', state_key, unpack(names))

local fields = {}
-- A resumed attempt that called again where its journal disagreed overwrites the slot; the count grows once per slot.
if redis.call('HSET', calls_key, step .. ':' .. ARGV[9], ARGV[10]) == 1 then
  fields = {names[1], string.format('%d', (tonumber(current[1]) or 0) + 1)}
end
redis.call('EXPIRE', calls_key, ttl)
local reply = {'recorded', run[1]}
for i = 1, #usage do
  local of_run = string.format('%d', (tonumber(current[2 * i]) or 0) + usage[i])
  local of_step = string.format('%d', (tonumber(current[2 * i + 1]) or 0) + usage[i])
  fields[#fields + 1] = names[2 * i]; fields[#fields + 1] = of_run
  fields[#fields + 1] = names[2 * i + 1]; fields[#fields + 1] = of_step
  reply[#reply + 1] = of_run
end
-- A recorded call is progress like a commit: a long model loop that crashes between its turns is not poison.
if run[5] and run[5] ~= '0' then fields[#fields + 1] = 'stalled_deliveries'; fields[#fields + 1] = '0' end
if #fields > 0 then redis.call('HSET', state_key, unpack(fields)) end
if ARGV[12] ~= '' then add_log(ARGV[12], ARGV[13], step, ARGV[11]) end
return reply
