--[[
  Reserves the next send slot of a business number, fleet-wide (GCRA without
  burst: slots are spaced 1000/rate ms apart, so no 1-second window holds
  more than `rate` sends), unless the number or the recipient is paused.
  The rate is adaptive (see lowerSendRate-1.lua): after throughput errors it
  is below the ceiling and climbs back additively, `increase` msg/s per
  second since it was last lowered.

  KEYS[1] schedule key: theoretical arrival time (ms, float) of the next slot
  KEYS[2] number pause key (exists while the number is paused: app or
          account call limits)
  KEYS[3] pair pause key (exists while this recipient is throttled, 131056)
  KEYS[4] rate key: hash {rate (msg/s), at (ms)}, written by lowerSendRate-1;
          absent means the ceiling
  ARGV[1] ceiling rate in msg/s (the configured SEND_RATE_PER_SECOND)
  ARGV[2] additive increase in msg/s per second

  Returns {status, waitMs}
    'reserved':      a slot is reserved; send after waitMs
    'number_paused': nothing reserved, ask again after waitMs
    'pair_paused':   recipient paused; nothing reserved, ask again after waitMs

  Invariant: a slot is handed out only when no pause applies, each slot is
  at least one interval (at the current rate, never above the ceiling) after
  the previous one.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local numberPause = redis.call('PTTL', KEYS[2])
if numberPause > 0 then return {'number_paused', numberPause} end
local pairPause = redis.call('PTTL', KEYS[3])
if pairPause > 0 then return {'pair_paused', pairPause} end

local ceiling = tonumber(ARGV[1])
local rate = ceiling
local lowered = redis.call('HMGET', KEYS[4], 'rate', 'at')
if lowered[1] then
  rate = math.min(ceiling, tonumber(lowered[1]) + tonumber(ARGV[2]) * math.max(0, now - tonumber(lowered[2])) / 1000)
end
local interval = 1000 / rate

local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, tat)
redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', math.ceil(slot - now + interval) + 1000)
return {'reserved', math.ceil(slot - now)}
