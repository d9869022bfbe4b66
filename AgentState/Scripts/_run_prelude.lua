-- Prepended to every script that works on one run. All keys of a run share the slot of {RUNID}.
-- KEYS: state, log, lease. ARGV[1..5]: run id, now (unix seconds), ttl (seconds), log MAXLEN, worker.
local state_key, log_key, lease_key = KEYS[1], KEYS[2], KEYS[3]
local run_id, now, ttl, maxlen, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

-- Adds one entry to the run's activity log; the caller renews TTLs. Live viewers are woken by the client after the
-- script returns (LogWakeups): their channel is sharded, on a slot of its own, which a script of this run cannot reach.
local function add_log(action, details, step, attempt)
  return redis.call('XADD', log_key, 'MAXLEN', '~', maxlen, '*', 'action', action, 'details', details,
    'ts', now, 'step', step, 'attempt', attempt, 'worker', worker)
end

-- Renews the TTLs of state and log together; the caller sets renewed_at = now in its HSET.
local function renew()
  redis.call('EXPIRE', state_key, ttl)
  redis.call('EXPIRE', log_key, ttl)
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

-- Marks the checkpoint as changed now and renews both TTLs, so state and log expire together.
local function touch()
  redis.call('HSET', state_key, 'updated_at', now, 'renewed_at', now)
  renew()
end
