--[[
  Flag a session for human handoff (or refresh an existing flag).

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)   KEYS[3] inbox version counter
  ARGV[1] session key   ARGV[2] flag JSON (new flag)   ARGV[3] TTL in seconds   ARGV[4] expiry, epoch ms
  Returns 1 when the session was not flagged before, 0 when the flag was refreshed.

  Invariant: every flag has a TTL and an index entry scored by its expiry, so
  a flag nobody releases still ends and the index never outlives it; a
  refresh keeps who took the conversation and since when it waits; every
  change bumps the version the operator pages watch.
]]
local current = redis.call('GET', KEYS[1])
local value = ARGV[2]
local fresh = 1
if current then
  fresh = 0
  local old = cjson.decode(current)
  local new = cjson.decode(ARGV[2])
  new.flaggedAt = old.flaggedAt
  new.assignee = old.assignee
  new.takenAt = old.takenAt
  value = cjson.encode(new)
end
redis.call('SET', KEYS[1], value, 'EX', tonumber(ARGV[3]))
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[1])
redis.call('INCR', KEYS[3])
return fresh
