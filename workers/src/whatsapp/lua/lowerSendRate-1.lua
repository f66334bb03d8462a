--[[
  Multiplicative decrease of a business number's fleet-wide send rate, on
  each throughput error (130429). Paired with the additive increase read by
  startSend-5.lua, the fleet settles just under the rate WhatsApp
  accepts: a steady trickle of random throttles costs a few percent of the
  rate, a real overload (many throttles a second) halves it within a second.

  KEYS[1] rate key: hash {rate (msg/s), at (ms)}
  ARGV[1] ceiling rate in msg/s
  ARGV[2] additive increase in msg/s per second
  ARGV[3] decrease factor per throttle, in (0, 1)
  ARGV[4] floor rate in msg/s

  Returns the new rate in msg/s, as a string.

  Invariant: the stored rate stays within [floor, ceiling], and the key
  expires once the additive increase would have brought it back to the
  ceiling, so an idle number starts again at full rate.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ceiling = tonumber(ARGV[1])
local increase = tonumber(ARGV[2])
local rate = ceiling
local lowered = redis.call('HMGET', KEYS[1], 'rate', 'at')
if lowered[1] then
  rate = math.min(ceiling, tonumber(lowered[1]) + increase * math.max(0, now - tonumber(lowered[2])) / 1000)
end
rate = math.max(tonumber(ARGV[4]), rate * tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'rate', string.format('%.4f', rate), 'at', string.format('%.3f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((ceiling - rate) / increase * 1000) + 1000)
return string.format('%.4f', rate)
