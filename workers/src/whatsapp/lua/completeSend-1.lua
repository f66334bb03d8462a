--[[
  Records that an outbound message was accepted by the Graph API.

  KEYS[1] marker (see startSend-5.lua)
  ARGV[1] Graph message id (wamid)
  ARGV[2] marker TTL in ms

  Returns 1 when recorded, 0 when it was already done.

  A done marker is a string holding only the message id: what a later claim
  needs, at about half the memory of a hash (docs/benchmarks.md).

  Invariant: once done, a marker stays done until it expires, so no later
  claim can send the message again.
]]
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return 0 end
if kind == 'hash' and redis.call('HGET', KEYS[1], 'state') == 'done' then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
