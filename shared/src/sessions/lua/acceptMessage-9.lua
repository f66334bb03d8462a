--[[
  Record the inbound messages of one delivery for one session, each once.

  KEYS[1] session inbox (list)                         ({session}:inbox)
  KEYS[2] current dedupe bucket (set of wamid digests)  ({slot tag}:seen:<n>)
  KEYS[3..9] the seven previous buckets, newest first
  ARGV[1] unix time (s) at which the current bucket expires: the end of its
          period plus the seen TTL
  ARGV[2] inbox TTL in seconds (a backstop: turns drain it long before)
  ARGV[3..] one pair per message, in arrival order: the wamid's digest (a
          signed 64-bit integer in decimal, so a small bucket is stored as
          an intset: 8 bytes a message), then the message JSON

  Returns one flag per message, in order: 1 when it entered the inbox, 0 for
  a duplicate delivery (of an earlier delivery or of an earlier message of
  this one).

  The buckets are shared by every session of the cluster slot (their tag
  hashes to the session's slot); each covers a seventh of the seen TTL, so
  the eight of them hold every digest seen within the TTL
  (docs/architecture.md, "Dedupe buckets"). The older buckets are asked
  once per delivery (SMISMEMBER); SADD on the current one both checks and
  marks. A whole delivery costs 7 + messages + 3 commands.

  Invariant: a wamid enters the inbox at most once per seen-TTL, the inbox
  keeps arrival order, and the digests and the push happen together: a
  crash can never mark a message seen without queueing it (which would drop
  it) nor queue it unmarked (which would let a redelivery queue it twice).
]]
local n = (#ARGV - 2) / 2
local fresh = {}
for i = 1, n do fresh[i] = i end
for b = 3, 9 do
  if #fresh == 0 then break end
  local digests = {}
  for j, i in ipairs(fresh) do digests[j] = ARGV[1 + 2 * i] end
  local seen = redis.call('SMISMEMBER', KEYS[b], unpack(digests))
  local left = {}
  for j, i in ipairs(fresh) do
    if seen[j] == 0 then left[#left + 1] = i end
  end
  fresh = left
end
local added = {}
for i = 1, n do added[i] = 0 end
local entries = {}
for _, i in ipairs(fresh) do
  if redis.call('SADD', KEYS[2], ARGV[1 + 2 * i]) == 1 then
    added[i] = 1
    entries[#entries + 1] = ARGV[2 + 2 * i]
  end
end
if #entries > 0 then
  redis.call('EXPIREAT', KEYS[2], tonumber(ARGV[1]))
  redis.call('RPUSH', KEYS[1], unpack(entries))
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return added
