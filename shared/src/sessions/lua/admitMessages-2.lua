--[[
  Per-session sliding-window rate limit (docs/operations.md: 10 messages a minute by default).

  KEYS[1] admission log (sorted set: member = wamid, score = ms)
  KEYS[2] notice flag for the current window
  ARGV[1] now (ms)   ARGV[2] window (ms)   ARGV[3] limit
  ARGV[4..] wamids of the batch, oldest first

  Returns {admitted, notify}: the first `admitted` wamids may be processed;
  notify = 1 when the caller must send the "wait a moment" notice (once per
  window, however many messages exceed the limit).

  Invariant: no more than `limit` messages of a session are admitted in any
  window; a wamid already admitted (a retried batch) is admitted again
  without counting twice, so retries never turn into rate-limit notices.
]]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
for i = 4, #ARGV do
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
local notify = 0
if admitted < #ARGV - 3 then
  if redis.call('SET', KEYS[2], '1', 'NX', 'PX', window) then notify = 1 end
end
return {admitted, notify}
