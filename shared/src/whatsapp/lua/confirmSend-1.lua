--[[
  Marks an outbound message sent because WhatsApp reported a status for it
  (the status echoes our idempotency key in biz_opaque_callback_data). This
  settles a send whose HTTP answer was lost with a crashed worker.

  KEYS[1] send marker: a hash while open (state claimed|sending, owner, ...),
          a string (the message id) once done; a done hash is the layout
          before this version
  ARGV[1] the message's wamid from the status

  Returns 1 when it settled an open marker, 0 otherwise.

  Invariant: only an existing, unfinished marker changes, and only to done;
  a status for a message nobody is waiting on writes nothing.
]]
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'done' then return 0 end
-- Only what a later claim needs; the TTL set at claim time stays.
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
