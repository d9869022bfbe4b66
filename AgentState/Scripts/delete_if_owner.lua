-- Deletes a lease or lock only while the caller still owns it. KEYS[1]: the key. ARGV[1]: owner token.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
