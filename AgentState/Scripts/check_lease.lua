-- Tells a worker whether it still holds a run (lease and fence) and the run still runs, before it pays for work.
-- ARGV[6]: lease owner, ARGV[7]: fence.
local s = redis.call('HMGET', state_key, 'status', 'fence')
if not s[1] then return {'stopped', ''} end
if redis.call('GET', lease_key) ~= ARGV[6] or s[2] ~= ARGV[7] then return {'fenced', s[1]} end
if s[1] ~= 'in_progress' then return {'stopped', s[1]} end
return {'held', s[1]}
