--[[
  Take the batch the next turn works on.

  KEYS[1] session lock        KEYS[2] inbox
  KEYS[3] processing          KEYS[4] attempts counter
  ARGV[1] lock token of the caller
  ARGV[2] most messages to take
  ARGV[3] TTL (s) of processing/attempts (outlives any retry schedule)

  Returns {'ok', attempt, msg1, msg2, ...}; {'empty'} when there is nothing
  to do; {'lost_lock'} when the caller does not own the lock.

  Invariant: messages move from inbox to processing only under the lock, and a
  non-empty processing batch is never replaced: a turn that crashed is retried
  on exactly the same batch (same turn id, so its sends stay idempotent), and
  no message is in neither list.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'lost_lock'} end
local batch = redis.call('LRANGE', KEYS[3], 0, -1)
if #batch == 0 then
  local n = tonumber(ARGV[2])
  batch = redis.call('LRANGE', KEYS[2], 0, n - 1)
  if #batch == 0 then return {'empty'} end
  redis.call('LTRIM', KEYS[2], #batch, -1)
  redis.call('RPUSH', KEYS[3], unpack(batch))
  redis.call('DEL', KEYS[4])
end
local attempt = redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[3]))
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[3]))
local out = {'ok', attempt}
for i = 1, #batch do out[i + 2] = batch[i] end
return out
