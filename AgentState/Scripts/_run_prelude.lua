-- Prepended to every script that works on one run. All keys of a run share the slot of {RUNID}.
-- KEYS: state, log, lease. ARGV[1..5]: run id, now (unix seconds), ttl (seconds), log MAXLEN, worker.
local state_key, log_key, lease_key = KEYS[1], KEYS[2], KEYS[3]
local run_id, now, ttl, maxlen, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

-- Appends one entry to the run's activity log, keeps its TTL and wakes live viewers (AgentKeys.LogAppendedChannel).
local function log(action, details, step, attempt)
  local id = redis.call('XADD', log_key, 'MAXLEN', '~', maxlen, '*', 'action', action, 'details', details,
    'ts', now, 'step', step, 'attempt', attempt, 'worker', worker)
  redis.call('EXPIRE', log_key, ttl)
  redis.call('PUBLISH', 'agent:log:appended', run_id)
  return id
end

-- Marks the checkpoint as changed now and renews its TTL, so state and log expire together.
local function touch()
  redis.call('HSET', state_key, 'updated_at', now)
  redis.call('EXPIRE', state_key, ttl)
end
