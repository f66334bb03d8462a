--[[
  Release a session lock.

  KEYS[1] lock key   ARGV[1] owner token
  Returns 1 when released, 0 when the caller was not the owner.

  Invariant: only the owner releases; a worker whose lock expired and was taken
  over can never free the new owner's lock.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
