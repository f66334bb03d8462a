--[[
  After the turn owning a marker committed: the marker only has to stop a
  displaced owner (a worker that stalled past its lock) from sending again,
  so its TTL drops and a done marker keeps no message id.

  KEYS[1] marker (see startSend-5.lua)
  ARGV[1] new TTL in ms (never lengthened)

  Returns 1 when a done marker was compacted, 0 otherwise.

  A compacted marker is the string '1': Redis shares small integer values
  (unless maxmemory-policy is an LRU/LFU one), so it costs its key alone.

  Invariant: a done marker stays done (only its value shrinks); an open
  marker is never marked done here, only its TTL is cut.
]]
-- A done marker is a string (nearly always, here): one SET both compacts it
-- and tells it apart, failing with WRONGTYPE on a hash without changing it.
local ok, reply = pcall(redis.call, 'SET', KEYS[1], '1', 'KEEPTTL', 'XX', 'GET')
local done = true
if not ok then
  if not string.find(tostring(type(reply) == 'table' and reply.err or reply), 'WRONGTYPE', 1, true) then error(reply) end
  done = redis.call('HGET', KEYS[1], 'state') == 'done'
  if done then redis.call('SET', KEYS[1], '1', 'KEEPTTL') end
elseif not reply then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'LT')
return done and 1 or 0
