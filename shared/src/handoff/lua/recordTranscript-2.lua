--[[
  Record conversation lines as text: always in the session's short rolling
  context buffer, and also in its handoff transcript while it is handed off.

  KEYS[1] rolling context list (recent)   KEYS[2] handoff transcript list
  ARGV[1] context cap (lines; 0 = keep no context)   ARGV[2] context TTL seconds
  ARGV[3] 1 when the session is handed off now   ARGV[4] transcript TTL seconds
  ARGV[5] transcript cap (lines)   ARGV[6..] line JSON objects, each with a unique "id"
  Returns the number of lines added to the transcript.

  Invariant: a line is stored at most once per list (a retried turn records
  the same ids), the context never holds more than its cap nor outlives its
  TTL, and the transcript only grows while the session is handed off.
]]
local function has(key, id, window)
  local tail = redis.call('LRANGE', key, -window, -1)
  for _, raw in ipairs(tail) do
    if cjson.decode(raw).id == id then return true end
  end
  return false
end

local cap = tonumber(ARGV[1])
local live = ARGV[3] == '1'
local added = 0
for i = 6, #ARGV do
  local id = cjson.decode(ARGV[i]).id
  if cap > 0 and not has(KEYS[1], id, cap) then
    redis.call('RPUSH', KEYS[1], ARGV[i])
  end
  if live and not has(KEYS[2], id, 50) then
    redis.call('RPUSH', KEYS[2], ARGV[i])
    added = added + 1
  end
end
if cap > 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('LTRIM', KEYS[1], -cap, -1)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
end
if live then
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return added
