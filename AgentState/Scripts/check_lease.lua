-- Tells a worker whether it still holds a run (lease and fence) and the run still runs, before it pays for work.
-- ARGV[6]: lease owner, ARGV[7]: fence.
local s = redis.call('HMGET', state_key, 'status', 'fence')
local refused = refusal(s[1], s[2], ARGV[6], ARGV[7])
if refused then return refused end
return {'held', s[1]}
