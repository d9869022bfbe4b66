-- Takes the lease of a queued or interrupted run, bumps its fence and returns the whole checkpoint.
-- ARGV[6]: owner token, ARGV[7]: lease milliseconds, ARGV[8]: the delivery (queue entry id and delivery number),
-- ARGV[9]: how many deliveries may end without a commit, ARGV[10]: the error of a run failed for that (a format
-- string given the count and the limit), ARGV[11]: its log details (the same format).
-- The poison guard: stalled_deliveries counts the deliveries since the run last made progress (a commit or a status
-- change clears it); a claim of the same delivery again (after a fault of Valkey itself) does not count. The claim
-- that finds the limit passed fails the run itself, holding the lease it just took and under the new fence, so no
-- worker that does not hold the run ever writes 'failed' for it. Replies {'failed', status, error} then, and again to
-- a later claim of the same entry.
local s = redis.call('HMGET', state_key, 'status', 'current_step', 'fence', 'attempt', 'renewed_at', 'stalled_deliveries', 'claimed_delivery')
local status = s[1]
if not status then return {'missing', ''} end
if not allows_claim(status) then
  -- The entry of a run this guard failed comes back when the worker that failed it died before dead-lettering it
  -- (the dead letters live in another hash slot, so that is the next round trip): the claim of it says so again.
  if status == STATUS_FAILED and tonumber(s[6] or '0') > tonumber(ARGV[9])
      and string.match(s[7] or '', '^[^/]*') == string.match(ARGV[8], '^[^/]*') then
    return {'failed', status, redis.call('HGET', state_key, 'error')}
  end
  return {'finished', status}
end
if not redis.call('SET', lease_key, ARGV[6], 'NX', 'PX', ARGV[7]) then return {'busy', status} end
local fence = tostring(tonumber(s[3] or '0') + 1)
local attempt = tostring(tonumber(s[4] or '0') + 1)
local step = tostring(tonumber(s[2] or '0'))
local stalled = tonumber(s[6] or '0')
if s[7] ~= ARGV[8] then stalled = stalled + 1 end
local limit = tonumber(ARGV[9])
if stalled > limit then
  local error = string.format(ARGV[10], stalled - 1, limit)
  redis.call('HSET', state_key, 'fence', fence, 'attempt', attempt, 'status', STATUS_FAILED, 'error', error,
    'stalled_deliveries', stalled, 'claimed_delivery', ARGV[8], 'updated_at', now, 'renewed_at', now)
  redis.call('DEL', lease_key)
  add_log(ACTION_FAILED, string.format(ARGV[11], stalled - 1, limit), step, attempt)
  renew()
  return {'failed', status, error}
end
local due = renew_due(s[5])
-- One write for every changed field: fence, attempt, status, the delivery and time (and the TTL renewal when due).
local fields = {'fence', fence, 'attempt', attempt, 'status', STATUS_IN_PROGRESS, 'updated_at', now}
if stalled ~= tonumber(s[6] or '0') then
  fields[#fields + 1] = 'stalled_deliveries'; fields[#fields + 1] = stalled
  fields[#fields + 1] = 'claimed_delivery'; fields[#fields + 1] = ARGV[8]
end
if due then fields[#fields + 1] = 'renewed_at'; fields[#fields + 1] = now end
redis.call('HSET', state_key, unpack(fields))
add_log(tonumber(step) > 0 and ACTION_RESUMED or ACTION_STARTED, cjson.encode({fence = tonumber(fence), nextStep = tonumber(step) + 1}), step, attempt)
if due then renew() end
return {'claimed', status, redis.call('HGETALL', state_key)}
