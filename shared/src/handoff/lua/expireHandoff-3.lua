--[[
  End a handoff whose wait ran out (nobody took it, or its operator went quiet).

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)   KEYS[3] inbox version counter
  ARGV[1] session key   ARGV[2] flaggedAt of the handoff the timer belongs to   ARGV[3] now, epoch ms
  Returns {'ended'} when it ended now, {'over'} when that handoff is already
  over (released, or a newer one started), or {'extended', new expiry in
  epoch ms} when activity pushed it back.

  Invariant: a timer only ends the handoff it was set for, and only once its
  expiry has passed, so the patient is told "nobody could answer" once and
  never while the wait is still running.
]]
local current = redis.call('GET', KEYS[1])
if not current then return {'over'} end
local flag = cjson.decode(current)
if string.format('%d', flag.flaggedAt) ~= ARGV[2] then return {'over'} end
if tonumber(flag.expiresAt) > tonumber(ARGV[3]) then return {'extended', tonumber(flag.expiresAt)} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return {'ended'}
