--[[
  Records that the owner is about to put its request on the wire, or tells a
  displaced owner to stand down. startSend-5.lua does this itself when the
  slot is near; this runs when the slot was far, or when the sender woke
  from its wait later than the slot allowed.

  KEYS[1] marker (see startSend-5.lua: a hash while open, a string once done)
  ARGV[1] owner token

  Returns 1 when the caller may send now, 0 when it no longer owns the
  marker (another sender took over, or the message is done).

  Invariant: a request is only started by the marker's current owner, and
  sendingAt tells when the latest request of the marker started (here: now;
  in startSend-5.lua: its slot, which the request follows within ARGV[7]).
]]
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'claimed' and state ~= 'sending' then return 0 end
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'sending', 'sendingAt', now)
return 1
