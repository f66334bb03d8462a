--[[
  Per-session sliding-window rate limit (docs/operations.md, "Rate limits").
  Messages over the limit are not dropped: the caller puts them back at the
  head of the inbox (commitTurn) and runs them once the window allows, up to
  a bounded backlog.

  KEYS[1] admission log (sorted set: member = wamid, score = ms)
  KEYS[2] notice level already sent in the current window (1 = deferring, 2 = discarding)
  KEYS[3] inbox (read only: how many messages already wait behind the batch)
  ARGV[1] now (ms)   ARGV[2] window (ms)   ARGV[3] limit   ARGV[4] backlog cap
  ARGV[5..] wamids of the batch, oldest first

  Returns {admitted, notice, retryInMs, discarding}: the first `admitted`
  wamids may be processed; notice = 1 or 2 when the caller must send that
  notice now (each level at most once per window, and never a lower level
  after a higher one); retryInMs = when the window admits the next message
  (0 when everything was admitted); discarding = how many waiting messages
  lie beyond the backlog cap (the commit drops them).

  Invariant: no more than `limit` messages of a session are admitted in any
  window; a wamid already admitted (a retried batch) is admitted again
  without counting twice, so retries never turn into rate-limit notices.
]]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
for i = 5, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    admitted = admitted + 1
  elseif count < limit then
    redis.call('ZADD', KEYS[1], now, ARGV[i])
    count = count + 1
    admitted = admitted + 1
  else
    break
  end
end
redis.call('PEXPIRE', KEYS[1], window)
local excess = #ARGV - 4 - admitted
if excess == 0 then return {admitted, 0, 0, 0} end
local discarding = math.max(0, excess + redis.call('LLEN', KEYS[3]) - cap)
local level = 1
if discarding > 0 then level = 2 end
local sent = tonumber(redis.call('GET', KEYS[2]) or '0')
local notice = 0
if level > sent then
  redis.call('SET', KEYS[2], tostring(level), 'PX', window)
  notice = level
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local retry = 1
if oldest[2] then retry = math.max(1, tonumber(oldest[2]) + window - now + 1) end
return {admitted, notice, retry, discarding}
