--[[
  Decide whether a document's registered phone is told about an attempt from
  another number: the first attempt of a period claims the alert, every other
  attempt of that period is refused.

  KEYS[1] alert key of the document (same keyed digest and hash tag as its
          failures hash; value = the attempt id holding the alert)
  ARGV[1] attempt id (turn id + message index: stable when a turn is retried)
  ARGV[2] period, ms
  Returns 1 when this attempt holds the alert (send it), 0 when another
  attempt of the period does.

  Invariant: at most one attempt holds a document's alert per period, and the
  key always has a TTL of at most one period; the holder asking again (its
  turn retried after a crash) gets 1 again, so a claim whose send never
  happened is sent by the retry, and the send ledger keeps it to one message.
]]
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1
