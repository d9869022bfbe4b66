-- Moves a run from one of the allowed statuses to another, under a lease rule, and logs why.
-- ARGV[6]: allowed statuses (space separated), ARGV[7]: new status,
-- ARGV[8]: lease rule ('any', 'free' = nobody holds it, else the owner token that must hold it),
-- ARGV[9]: '1' to release the lease, ARGV[10]: log action, ARGV[11]: log details,
-- ARGV[12]: fields to delete (space separated), ARGV[13..]: field/value pairs to set.
local s = redis.call('HMGET', state_key, 'status', 'current_step', 'attempt')
local status = s[1]
if not status then return {'missing', ''} end
local allowed = false
for candidate in string.gmatch(ARGV[6], '%S+') do
  if candidate == status then allowed = true end
end
if not allowed then return {'conflict', status} end
local rule = ARGV[8]
if rule ~= 'any' then
  local holder = redis.call('GET', lease_key)
  if rule == 'free' then
    if holder then return {'busy', status} end
  elseif holder ~= rule then
    return {'fenced', status}
  end
end
local removed = {}
for field in string.gmatch(ARGV[12], '%S+') do removed[#removed + 1] = field end
if #removed > 0 then redis.call('HDEL', state_key, unpack(removed)) end
-- A status change is progress: the poison guard's count of deliveries that ended without a commit starts again.
redis.call('HSET', state_key, 'status', ARGV[7], 'updated_at', now, 'renewed_at', now, 'stalled_deliveries', '0', unpack(ARGV, 13))
if ARGV[9] == '1' then redis.call('DEL', lease_key) end
add_log(ARGV[10], ARGV[11], s[2] or '0', s[3] or '0')
renew()
return {'changed', status}
