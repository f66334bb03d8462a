--[[
  recordLines: the one place conversation lines are stored as text, pasted
  by luaScript (`--#include`) into recordTranscript-2.lua (operator replies,
  handoff notes) and commitTurn-9.lua (a turn's lines, with its commit).
  Redis Lua has no `require`; an include keeps the two writers from drifting.

  recordLines(contextKey, transcriptKey, contextCap, contextTtl, handedOff,
              transcriptTtl, transcriptCap, lines)
  `lines` is a Lua table of line JSON objects, each with a unique "id";
  `handedOff` is true when the session is handed off now. Returns the number
  of lines added to the transcript.

  Invariant: a line is stored at most once per list (a retried turn records
  the same ids), the context never holds more than its cap nor outlives its
  TTL, and the transcript only grows while the session is handed off.

  Each list's tail is read once and the new lines go in one RPUSH: a turn
  records several lines, and a read and a push per line made this the
  busiest script of a turn.
]]
local function appendLines(key, window, ids, lines)
  local seen = {}
  local tail = redis.call('LRANGE', key, -window, -1)
  for _, raw in ipairs(tail) do seen[cjson.decode(raw).id] = true end
  local fresh = {}
  for i, id in ipairs(ids) do
    if not seen[id] then
      seen[id] = true
      fresh[#fresh + 1] = lines[i]
    end
  end
  if #fresh > 0 then redis.call('RPUSH', key, unpack(fresh)) end
  return #fresh, #tail + #fresh
end

local function recordLines(contextKey, transcriptKey, contextCap, contextTtl, handedOff, transcriptTtl, transcriptCap, lines)
  if #lines == 0 then return 0 end
  local ids = {}
  for i, raw in ipairs(lines) do ids[i] = cjson.decode(raw).id end
  if contextCap > 0 then
    local _, size = appendLines(contextKey, contextCap, ids, lines)
    if size > 0 then
      redis.call('LTRIM', contextKey, -contextCap, -1)
      redis.call('EXPIRE', contextKey, contextTtl)
    end
  end
  local added = 0
  if handedOff then
    added = appendLines(transcriptKey, 50, ids, lines)
    redis.call('LTRIM', transcriptKey, -transcriptCap, -1)
    redis.call('EXPIRE', transcriptKey, transcriptTtl)
  end
  return added
end
