--[[
  Record one inbound message for its session, once.

  KEYS[1] seen marker for this wamid   ({session}:seen:<wamid>)
  KEYS[2] session inbox (list)         ({session}:inbox)
  ARGV[1] message JSON
  ARGV[2] seen TTL in seconds (>= 7 days: Meta retries deliveries for days)

  Returns 1 when the message entered the inbox, 0 for a duplicate delivery.

  Invariant: a wamid enters the inbox at most once per seen-TTL, and the marker
  and the push happen together: a crash can never mark a message seen without
  queueing it (which would drop it) nor queue it unmarked (which would let a
  redelivery queue it twice).
]]
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  return 1
end
return 0
