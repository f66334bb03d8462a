--[[
  Release a session from human handoff.

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)
  ARGV[1] session key
  Returns 1 when a live flag was removed, 0 when the session was not flagged.

  Invariant: flag and index entry disappear together, so a released session
  is never listed and never silenced.
]]
local removed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return removed
