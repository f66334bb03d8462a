--[[
  Open a session's next turn in one step: take (or check) the lock, take the
  batch, admit it under the per-session rate limit and read the dialog state.

  KEYS[1] session lock     KEYS[2] inbox      KEYS[3] processing
  KEYS[4] attempts counter KEYS[5] state hash KEYS[6] audit outbox
  KEYS[7] rate-limit admission log (sorted set: member = wamid, score = ms)
  KEYS[8] rate-limit notice level already sent in the window (1 deferring, 2 discarding)
  ARGV[1] lock token of the caller
  ARGV[2] 'open': take the lock (or refresh it if the caller owns it) and
          return the audit outbox; 'next': the caller must own the lock
          already (a later batch of the same run), the outbox is not read
  ARGV[3] lock TTL (ms)          ARGV[4] most messages to take
  ARGV[5] TTL (s) of processing/attempts (outlives any retry schedule)
  ARGV[6] most attempts: a batch tried more often is answered with an
          apology, so it is neither admitted nor given the state
  ARGV[7] now (ms)   ARGV[8] rate window (ms)   ARGV[9] rate limit (0 = off)
  ARGV[10] rate backlog cap

  Returns
    {'busy'} ('open': another owner holds the lock),
    {'lost_lock'} ('next': the caller does not own the lock),
    {'empty', released, outbox} when there is nothing to do; the lock is
      released here (released = 1) unless the outbox holds records for the
      caller to publish first,
    {'ok', attempt, admitted, notice, retryInMs, outbox, state, msg1, ...}:
      the first `admitted` messages may be handled now (the rest wait for
      the window); notice = 1 or 2 when the caller must send that rate-limit
      notice now; state = HGETALL of the state hash (empty when nothing is
      admitted or the batch is past its attempts).
  `outbox` is the audit records committed but not yet in the audit stream
  ('open' only; empty for 'next').

  Invariants (each as in the single-step scripts it replaces):
  - lock: at most one owner per session; a lock always has a TTL.
  - batch: messages move inbox → processing only under the lock, and a
    non-empty processing batch is never replaced: a turn that crashed is
    retried on exactly the same batch (same turn id, so its sends stay
    idempotent), and no message is in neither list.
  - rate limit: no more than `limit` messages of a session are admitted in
    any window; a wamid already admitted (a retried batch) is admitted again
    without counting twice; each notice level at most once per window, never
    a lower level after a higher one.
]]
local lockTtl = tonumber(ARGV[3])
local outbox = {}
if ARGV[2] == 'open' then
  -- A free session (the usual case) costs one command.
  if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', lockTtl) then
    if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'busy'} end
    redis.call('PEXPIRE', KEYS[1], lockTtl)
  end
  outbox = redis.call('LRANGE', KEYS[6], 0, -1)
else
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'lost_lock'} end
  redis.call('PEXPIRE', KEYS[1], lockTtl)
end

local batch = redis.call('LRANGE', KEYS[3], 0, -1)
local ttl = tonumber(ARGV[5])
local attempt = 1
if #batch == 0 then
  -- LPOP with a count (Redis 6.2+) takes and removes the batch in one command; nil when the inbox is empty.
  batch = redis.call('LPOP', KEYS[2], tonumber(ARGV[4])) or {}
  if #batch == 0 then
    if #outbox > 0 then return {'empty', 0, outbox} end
    redis.call('DEL', KEYS[1])
    return {'empty', 1, outbox}
  end
  redis.call('RPUSH', KEYS[3], unpack(batch))
  redis.call('SET', KEYS[4], 1, 'EX', ttl)
else
  attempt = redis.call('INCR', KEYS[4])
  redis.call('EXPIRE', KEYS[4], ttl)
end
redis.call('EXPIRE', KEYS[3], ttl)

local admitted = #batch
local notice = 0
local retry = 0
local limit = tonumber(ARGV[9])
local handled = attempt <= tonumber(ARGV[6])
if handled and limit > 0 then
  local now = tonumber(ARGV[7])
  local window = tonumber(ARGV[8])
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[7])
  admitted = 0
  for i = 1, #batch do
    local wamid = cjson.decode(batch[i]).message.wamid
    if redis.call('ZSCORE', KEYS[7], wamid) then
      admitted = admitted + 1
    elseif count < limit then
      redis.call('ZADD', KEYS[7], now, wamid)
      count = count + 1
      admitted = admitted + 1
    else
      break
    end
  end
  redis.call('PEXPIRE', KEYS[7], window)
  local excess = #batch - admitted
  if excess > 0 then
    local level = 1
    if excess + redis.call('LLEN', KEYS[2]) > tonumber(ARGV[10]) then level = 2 end
    local sent = tonumber(redis.call('GET', KEYS[8]) or '0')
    if level > sent then
      redis.call('SET', KEYS[8], tostring(level), 'PX', window)
      notice = level
    end
    local oldest = redis.call('ZRANGE', KEYS[7], 0, 0, 'WITHSCORES')
    retry = 1
    if oldest[2] then retry = math.max(1, tonumber(oldest[2]) + window - now + 1) end
  end
end

local state = {}
if handled and admitted > 0 then state = redis.call('HGETALL', KEYS[5]) end
local out = {'ok', attempt, admitted, notice, retry, outbox, state}
for i = 1, #batch do out[i + 7] = batch[i] end
return out
