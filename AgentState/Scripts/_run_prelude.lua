-- The shared part of the run function library, after the names generated from RunStatus, RunStateMachine and
-- LogActions (see AgentScripts). It runs once, when the library is loaded: the helpers below are made once and shared
-- by every function of the library, instead of being made again on every call as a script's local functions are.
-- All keys of a run share the slot of {RUNID}.
-- KEYS: state, log, lease, calls (the journal). ARGV[1..5]: run id, now (unix seconds), ttl (seconds), log MAXLEN, worker.
local state_key, log_key, lease_key, calls_key
local run_id, now, ttl, maxlen, worker

-- Binds the run of this call: every function of the library calls it first, with its own KEYS and ARGV, so no value
-- of an earlier call is ever seen (a call runs alone on the server, start to end).
local function bind(KEYS, ARGV)
  state_key, log_key, lease_key, calls_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
  run_id, now, ttl, maxlen, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
end

-- Adds one entry to the run's activity log; the caller renews TTLs. Live viewers are woken by the client after the
-- script returns (AgentSignals): their channel is sharded, on a slot of its own, which a script of this run cannot reach.
local function add_log(action, details, step, attempt)
  return redis.call('XADD', log_key, 'MAXLEN', '~', maxlen, '*', 'action', action, 'details', details,
    'ts', now, 'step', step, 'attempt', attempt, 'worker', worker)
end

-- Renews the TTLs of state, log and journal together; the caller sets renewed_at = now in its HSET. A run without a
-- journal pays an EXPIRE of a missing key, which is nothing, and only when a renewal is due.
local function renew()
  redis.call('EXPIRE', state_key, ttl)
  redis.call('EXPIRE', log_key, ttl)
  redis.call('EXPIRE', calls_key, ttl)
end

-- Whether the TTLs were last renewed (field renewed_at) longer ago than a hundredth of the TTL. A run still expires
-- RunTtl after its last change, give or take 1%, and the commits of a running run pay no EXPIRE.
local function renew_due(renewed_at)
  return not renewed_at or tonumber(now) - tonumber(renewed_at) >= tonumber(ttl) / 100
end

-- Appends one entry and keeps the log's TTL: for a script that adds a single entry.
local function log(action, details, step, attempt)
  local id = add_log(action, details, step, attempt)
  redis.call('EXPIRE', log_key, ttl)
  return id
end

-- The refusal a worker's write gets unless the worker still holds the run: the run exists and has not ended, the
-- lease is the caller's (owner token), the fence is its claim's, and the status lets a worker commit. nil when held.
-- An ended run answers 'stopped' even when its lease went with it (a cancel or a delete), so its worker lets go.
local function refusal(status, fence, owner, claimed_fence)
  if not status or is_final(status) then return {'stopped', status or ''} end
  if redis.call('GET', lease_key) ~= owner or fence ~= claimed_fence then return {'fenced', status} end
  if not allows_commit(status) then return {'stopped', status} end
  return nil
end

-- The run as a commit reads it ({status, fence, current_step, renewed_at, stalled_deliveries}), and the refusal when the caller
-- does not hold it.
local function read_for_commit(owner, claimed_fence)
  local run = redis.call('HMGET', state_key, 'status', 'fence', 'current_step', 'renewed_at', 'stalled_deliveries')
  return run, refusal(run[1], run[2], owner, claimed_fence)
end

-- Commits step `step` of a run read by read_for_commit: result, name, time, current_step and updated_at in one HSET
-- (with the pairs of `extra`), the step's log entry, and the TTLs of state and log when due. A commit is progress, so
-- it clears the count of deliveries that ended without one (the claim's poison guard). Returns whether it renewed.
local function commit_step(run, step, name, result, details, attempt, extra)
  local due = renew_due(run[4])
  local fields = {'result_step_' .. step, result, 'step_name_' .. step, name, 'step_at_' .. step, now,
    'current_step', step, 'updated_at', now}
  for i = 1, #extra do fields[#fields + 1] = extra[i] end
  if due then fields[#fields + 1] = 'renewed_at'; fields[#fields + 1] = now end
  if run[5] and run[5] ~= '0' then fields[#fields + 1] = 'stalled_deliveries'; fields[#fields + 1] = '0' end
  redis.call('HSET', state_key, unpack(fields))
  add_log(name, details, step, attempt)
  if due then renew() end
  return due
end
