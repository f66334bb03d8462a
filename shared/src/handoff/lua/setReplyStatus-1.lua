--[[
  Record how far an operator's reply got: queued < sent < delivered < read;
  failed and window_closed end it.

  KEYS[1] reply status hash of the session
  ARGV[1] reply id   ARGV[2] status   ARGV[3] TTL seconds
  Returns 1 when the status changed, 0 when it was stale (statuses arrive out of order).

  Invariant: a reply's status only moves forward, and a final one (read,
  failed, window_closed) is never overwritten.
]]
local rank = { queued = 1, sent = 2, delivered = 3, read = 4, failed = 5, window_closed = 5 }
local current = redis.call('HGET', KEYS[1], ARGV[1])
local new = rank[ARGV[2]]
if not new then return redis.error_reply('unknown reply status ' .. ARGV[2]) end
if current and (rank[current] or 0) >= new then return 0 end
if current and (current == 'failed' or current == 'window_closed' or current == 'read') then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
