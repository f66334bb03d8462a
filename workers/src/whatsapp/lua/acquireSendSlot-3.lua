--[[
  Reserves the next send slot of a business number, fleet-wide (GCRA without
  burst: slots are spaced 1000/rate ms apart, so no 1-second window holds
  more than `rate` sends), unless the number or the recipient is paused.

  KEYS[1] schedule key: theoretical arrival time (ms, float) of the next slot
  KEYS[2] number pause key (exists while the number is throttled, 130429)
  KEYS[3] pair pause key (exists while this recipient is throttled, 131056)
  ARGV[1] emission interval in ms (1000 / messages per second; may be fractional)

  Returns {waitMs, reason}
    reason 0: a slot is reserved; send after waitMs
    reason 1: number paused; nothing reserved, ask again after waitMs
    reason 2: recipient paused; nothing reserved, ask again after waitMs

  Invariant: a slot is handed out only when no pause applies, and each slot
  is at least one interval after the previous one.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local numberPause = redis.call('PTTL', KEYS[2])
if numberPause > 0 then return {numberPause, 1} end
local pairPause = redis.call('PTTL', KEYS[3])
if pairPause > 0 then return {pairPause, 2} end

local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, tat)
redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', math.ceil(slot - now + interval) + 1000)
return {math.ceil(slot - now), 0}
