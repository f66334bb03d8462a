--[[
  Pauses sends for a number or a recipient, fleet-wide. Never shortens a
  longer pause another worker already set.

  KEYS[1] pause key
  ARGV[1] pause length in ms

  Returns the pause left in ms after the call.

  Invariant: a pause only grows until it expires.
]]
local want = tonumber(ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left >= want then return left end
redis.call('SET', KEYS[1], '1', 'PX', want)
return want
