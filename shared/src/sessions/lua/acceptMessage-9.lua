--[[
  Record one inbound message for its session, once.

  KEYS[1] session inbox (list)                         ({session}:inbox)
  KEYS[2] current dedupe bucket (set of wamid digests)  ({slot tag}:seen:<n>)
  KEYS[3..9] the seven previous buckets, newest first
  ARGV[1] message JSON
  ARGV[2] the wamid's digest (a signed 64-bit integer in decimal, so a small
          bucket is stored as an intset: 8 bytes a message)
  ARGV[3] unix time (s) at which the current bucket expires: the end of its
          period plus the seen TTL
  ARGV[4] inbox TTL in seconds (a backstop: turns drain it long before)

  Returns 1 when the message entered the inbox, 0 for a duplicate delivery.

  The buckets are shared by every session of the cluster slot (their tag
  hashes to the session's slot); each covers a seventh of the seen TTL, so
  the eight of them hold every digest seen within the TTL
  (docs/architecture.md, "Dedupe buckets").

  Invariant: a wamid enters the inbox at most once per seen-TTL, and the
  digest and the push happen together: a crash can never mark a message seen
  without queueing it (which would drop it) nor queue it unmarked (which
  would let a redelivery queue it twice).
]]
for i = 2, 9 do
  if redis.call('SISMEMBER', KEYS[i], ARGV[2]) == 1 then return 0 end
end
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('EXPIREAT', KEYS[2], tonumber(ARGV[3]))
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
