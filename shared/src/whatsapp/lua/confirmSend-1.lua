--[[
  Marks an outbound message sent because WhatsApp reported a status for it
  (the status echoes our idempotency key in biz_opaque_callback_data). This
  settles a send whose HTTP answer was lost with a crashed worker.

  KEYS[1] send marker hash (state claimed|sending|done, owner, ..., messageId)
  ARGV[1] the message's wamid from the status

  Returns 1 when it settled an open marker, 0 otherwise.

  Invariant: only an existing, unfinished marker changes, and only to done;
  a status for a message nobody is waiting on writes nothing.
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'done' then return 0 end
-- Only what a later claim needs; the TTL set at claim time stays.
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'messageId', ARGV[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
