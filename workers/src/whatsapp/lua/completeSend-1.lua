--[[
  Records that an outbound message was accepted by the Graph API.

  KEYS[1] marker hash (see claimSend-1.lua)
  ARGV[1] Graph message id (wamid)
  ARGV[2] marker TTL in ms

  Returns 1 when recorded, 0 when it was already done.

  A done marker keeps only what a later claim needs (state and message id):
  the owner and timing fields of an open claim are dropped.

  Invariant: once done, a marker stays done until it expires, so no later
  claim can send the message again.
]]
if redis.call('HGET', KEYS[1], 'state') == 'done' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'messageId', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
