--[[
  Finish a turn: save the dialog state and history, store the turn's lines
  as text (rolling context, and the handoff transcript while handed off),
  queue the turn's audit record and drop the batch, at once; and, when the
  run ends with this turn, release the session lock in that same step.

  KEYS[1] session lock   KEYS[2] processing   KEYS[3] attempts
  KEYS[4] state hash     KEYS[5] history      KEYS[6] inbox
  KEYS[7] audit outbox (list of records not yet in the global audit stream)
  KEYS[8] rolling context list   KEYS[9] handoff transcript list
  ARGV[1] lock token     ARGV[2] state TTL (s)   ARGV[3] history cap
  ARGV[4] audit record (JSON; empty for none)
  ARGV[5] deferred: how many messages at the end of the batch were not
          handled (over the rate limit); they go back to the head of the inbox
  ARGV[6] backlog cap: with deferred > 0, the inbox is then cut to this many
          messages (the newest beyond it are discarded; the caller told the user)
  ARGV[7] release the lock afterwards: 'always' (the run stops after this
          turn), 'if_empty' (only when no message is left in the inbox: the
          run would find nothing more), anything else never
  ARGV[8] context cap (lines; 0 = keep no context)   ARGV[9] context TTL (s)
  ARGV[10] 1 when the session is handed off now   ARGV[11] transcript TTL (s)
  ARGV[12] transcript cap (lines)   ARGV[13] number of text lines (m)
  ARGV[14] number of state field/value pairs (n), then n pairs, then m text
  lines (JSON, each with a unique "id"), then history entries (JSON) to append.

  Returns {'ok', inbox length left, messages discarded, released (1/0),
  lines added to the transcript}, or {'lost_lock'} when the caller lost the lock.

  Invariant: the state a turn produced, its text lines, its audit record and
  the removal of the messages it consumed are one step; a turn that lost its
  lock (it stalled and another worker took over) changes nothing, so it
  records no line either. Deferred messages keep their order ahead of newer
  ones, and every message is in exactly one of processing and inbox until it
  is handled or discarded. The audit stream is global (another cluster slot),
  so the record waits in the session's outbox until the worker, or the next
  one to hold the session, moves it there. Only the owner releases the lock,
  and only after the commit: a message pushed after the release is the next
  job's (the ingress pushes before it adds that job). Text lines keep
  recordLines' invariant (recordLines.lib.lua, included below; the same
  code as recordTranscript-2.lua): each stored once per list, so lines that
  come again add nothing (a commit sent again, the line of a message deferred
  by the rate limit with the turn that handles it, a batch retried after a
  worker of the version before stored its lines ahead of its commit).

  Why the lines are written here and not by a script before the commit:
  the turn's text is then exactly what its commit made true, like its state
  and history. Written before, an attempt that had lost its lock (its commit
  then changing nothing) still stored its lines, and a turn cost one more
  script call. Nothing is lost by writing later: until the commit the batch
  stays in processing, so whichever attempt commits it stores its lines.
  One difference: a reply an earlier, crashed or displaced attempt sent
  under the same key is not sent again, and the text stored is the
  committing attempt's (the same unless its answer changed meanwhile, e.g.
  a slot was taken).
]]
--#include ../../handoff/lua/recordLines.lib.lua
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'lost_lock'} end
local ttl = tonumber(ARGV[2])
if ARGV[4] ~= '' then
  redis.call('RPUSH', KEYS[7], ARGV[4])
  redis.call('EXPIRE', KEYS[7], ttl)
end
local pairs_n = tonumber(ARGV[14])
local i = 15
if pairs_n > 0 then
  local fields = {}
  for _ = 1, pairs_n do
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
    i = i + 2
  end
  redis.call('HSET', KEYS[4], unpack(fields))
end
redis.call('EXPIRE', KEYS[4], ttl)
local lines_m = tonumber(ARGV[13])
local added = 0
if lines_m > 0 then
  added = recordLines(KEYS[8], KEYS[9], tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10] == '1', tonumber(ARGV[11]), tonumber(ARGV[12]), { unpack(ARGV, i, i + lines_m - 1) })
  i = i + lines_m
end
if i <= #ARGV then
  local historyCap = tonumber(ARGV[3])
  if redis.call('RPUSH', KEYS[5], unpack(ARGV, i, #ARGV)) > historyCap then redis.call('LTRIM', KEYS[5], -historyCap, -1) end
end
redis.call('EXPIRE', KEYS[5], ttl)
local deferred = tonumber(ARGV[5])
local discarded = 0
if deferred > 0 then
  local back = redis.call('LRANGE', KEYS[2], -deferred, -1)
  for j = #back, 1, -1 do redis.call('LPUSH', KEYS[6], back[j]) end
  -- The inbox's backstop TTL (acceptMessage) when the push created it afresh.
  if redis.call('TTL', KEYS[6]) < 0 then redis.call('EXPIRE', KEYS[6], ttl) end
  local cap = tonumber(ARGV[6])
  discarded = math.max(0, redis.call('LLEN', KEYS[6]) - cap)
  if discarded > 0 and cap == 0 then
    redis.call('DEL', KEYS[6])
  elseif discarded > 0 then
    redis.call('LTRIM', KEYS[6], 0, cap - 1)
  end
end
redis.call('DEL', KEYS[2], KEYS[3])
local left = redis.call('LLEN', KEYS[6])
local released = 0
if ARGV[7] == 'always' or (ARGV[7] == 'if_empty' and left == 0) then
  redis.call('DEL', KEYS[1])
  released = 1
end
return {'ok', left, discarded, released, added}
