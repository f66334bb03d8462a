--[[
  Records that the owner is about to put its request on the wire (called
  before every attempt), or tells a displaced owner to stand down.

  KEYS[1] marker (see claimSend-1.lua: a hash while open, a string once done)
  ARGV[1] owner token

  Returns 1 when the caller may send now, 0 when it no longer owns the
  marker (another sender took over, or the message is done).

  Invariant: a request is only started by the marker's current owner, and
  sendingAt always tells when the latest request of the marker started.
]]
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'claimed' and state ~= 'sending' then return 0 end
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'sending', 'sendingAt', now)
return 1
