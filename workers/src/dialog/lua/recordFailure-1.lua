--[[
  Count one failed identification of a session, once per attempt id.

  KEYS[1] failures hash of the session (field per attempt id)
  ARGV[1] attempt id (turn id + message index: a retried turn counts once)
  ARGV[2] window in seconds
  Returns the number of failures in the current window.

  Invariant: the window starts at the first failure and the hash always has
  a TTL, so failures are forgotten at most one window after the first.
]]
local added = redis.call('HSETNX', KEYS[1], ARGV[1], '1')
local count = redis.call('HLEN', KEYS[1])
if added == 1 and count == 1 then
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return count
