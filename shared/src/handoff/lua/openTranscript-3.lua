--[[
  Start a handoff transcript from the session's rolling context.

  KEYS[1] rolling context list (recent)   KEYS[2] handoff transcript list   KEYS[3] reply status hash
  ARGV[1] transcript TTL seconds   ARGV[2] marker line JSON (the handoff itself)
  Returns the number of context lines copied.

  Invariant: a transcript holds one handoff: the context that came before it,
  then everything during it; an older handoff's lines and statuses are
  replaced, and every transcript key has a TTL.
]]
redis.call('DEL', KEYS[2], KEYS[3])
local lines = redis.call('LRANGE', KEYS[1], 0, -1)
for _, line in ipairs(lines) do redis.call('RPUSH', KEYS[2], line) end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[1]))
return #lines
