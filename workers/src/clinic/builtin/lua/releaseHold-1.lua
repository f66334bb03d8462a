--[[
  Release a hold, but only the caller's own.

  KEYS[1] hold key          value = holderId
  ARGV[1] holderId

  Returns 1 when released, 0 when the hold was absent or someone else's.

  Invariant: a session can never release another session's hold.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
