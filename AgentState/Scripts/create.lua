-- Creates a run, or answers a repeated idempotent start.
-- ARGV[6]: request hash, ARGV[7]: log details, ARGV[8]: first step number minus one, ARGV[9..]: field/value pairs.
local existing = redis.call('HMGET', state_key, 'request_hash', 'status')
if existing[2] then
  if existing[1] == ARGV[6] then return {'exists', existing[2]} end
  return {'conflict', existing[2]}
end
redis.call('HSET', state_key, 'updated_at', now, 'renewed_at', now, unpack(ARGV, 9))
add_log(ACTION_QUEUED, ARGV[7], ARGV[8], '0')
renew()
return {'created', STATUS_QUEUED}
