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

  Each list's tail is read once and the new lines go in one RPUSH: a turn
  records several lines, and a read and a push per line made this the
  busiest script of a turn.
]]
local function append(key, window, ids)
  local seen = {}
  local tail = redis.call('LRANGE', key, -window, -1)
  for _, raw in ipairs(tail) do seen[cjson.decode(raw).id] = true end
  local fresh = {}
  for i, id in ipairs(ids) do
    if not seen[id] then
      seen[id] = true
      fresh[#fresh + 1] = ARGV[i + 5]
    end
  end
  if #fresh > 0 then redis.call('RPUSH', key, unpack(fresh)) end
  return #fresh, #tail + #fresh
end

local ids = {}
for i = 6, #ARGV do ids[#ids + 1] = cjson.decode(ARGV[i]).id end

local cap = tonumber(ARGV[1])
if cap > 0 then
  local _, size = append(KEYS[1], cap, ids)
  if size > 0 then
    redis.call('LTRIM', KEYS[1], -cap, -1)
    redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
  end
end
local added = 0
if ARGV[3] == '1' then
  added = append(KEYS[2], 50, ids)
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
end
return added
