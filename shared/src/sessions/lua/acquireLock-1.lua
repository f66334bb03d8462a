--[[
  Take a session lock, or refresh it if the caller already owns it.

  KEYS[1] lock key   ARGV[1] owner token   ARGV[2] TTL in ms
  Returns 1 when the caller owns the lock afterwards, 0 when someone else does.

  Invariant: at most one owner per session; a lock always has a TTL, so an
  owner that died frees the session after at most that TTL.
]]
local owner = redis.call('GET', KEYS[1])
if owner == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
