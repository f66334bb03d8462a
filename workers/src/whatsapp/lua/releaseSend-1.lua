--[[
  Gives up a claim whose message certainly did not reach WhatsApp (the Graph
  API answered with an error), so a retried job may send it.

  KEYS[1] marker (see startSend-5.lua)
  ARGV[1] owner token

  Returns 1 when released, 0 when the caller did not own an open claim.

  Invariant: only the owner can release, and never a completed marker.
]]
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'claimed' and state ~= 'sending' then return 0 end
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
