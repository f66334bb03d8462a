--[[
  Flag a session for human handoff (or refresh an existing flag).

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)
  ARGV[1] session key   ARGV[2] flag JSON   ARGV[3] TTL in seconds   ARGV[4] expiry, epoch ms
  Returns 1 when the session was not flagged before, 0 when the flag was refreshed.

  Invariant: every flag has a TTL and an index entry scored by the same expiry,
  so a flag no operator releases still ends, and the index never lists a
  session longer than its flag lives.
]]
local fresh = redis.call('EXISTS', KEYS[1]) == 0 and 1 or 0
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[1])
return fresh
