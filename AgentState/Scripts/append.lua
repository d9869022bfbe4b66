-- Appends an entry to the log of a run that still exists (a deleted run gets no orphan log).
-- ARGV[6]: action, ARGV[7]: details, ARGV[8]: step, ARGV[9]: attempt.
if redis.call('EXISTS', state_key) == 0 then return false end
return log(ARGV[6], ARGV[7], ARGV[8], ARGV[9])
