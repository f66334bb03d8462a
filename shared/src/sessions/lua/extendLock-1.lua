--[[
  Refresh a session lock the caller owns; never take a free one.

  KEYS[1] lock key   ARGV[1] owner token   ARGV[2] TTL in ms
  Returns 1 when the caller still owns the lock (its TTL is renewed), 0 when
  the lock expired or another owner holds it.

  Invariant: a run that lost its lock stays lost. A heartbeat that took a
  free lock again would let a run whose lock expired (a stall, a Redis
  outage longer than the TTL) commit the batch another run had meanwhile
  opened, committed and released: the same messages committed twice, the
  second time with a stale state (found by the 100k-message soak).
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
