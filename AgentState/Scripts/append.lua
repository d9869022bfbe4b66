-- Appends an entry to the log of a run that still exists (a deleted run gets no orphan log). A worker's entry is
-- fenced: written only while that worker holds the lease and the fence, so a zombie cannot write after a takeover.
-- ARGV[6]: action, ARGV[7]: details, ARGV[8]: step, ARGV[9]: attempt, ARGV[10]: lease owner ('' = not a worker),
-- ARGV[11]: fence.
local s = redis.call('HMGET', state_key, 'status', 'fence')
if not s[1] then return {'missing', ''} end
if ARGV[10] ~= '' then
  local refused = refusal(s[1], s[2], ARGV[10], ARGV[11])
  if refused then return refused end
end
return {'appended', s[1], log(ARGV[6], ARGV[7], ARGV[8], ARGV[9])}
