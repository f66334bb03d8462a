--[[
  Release a session from human handoff.

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)   KEYS[3] inbox version counter
  ARGV[1] session key   ARGV[2] operator releasing it ('' = whoever holds it)
  Returns {'released'} when the flag was removed, {'missing'} when the
  session was not flagged, {'held', operator} when another operator holds it
  (nothing changes).

  Invariant: flag and index entry disappear together, so a released session
  is never listed and never silenced; an operator never releases a
  conversation another operator holds.
]]
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {'missing'}
end
local flag = cjson.decode(current)
if ARGV[2] ~= '' and flag.assignee and flag.assignee ~= ARGV[2] then return {'held', flag.assignee} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return {'released'}
