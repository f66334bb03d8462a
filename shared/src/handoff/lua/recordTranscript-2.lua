--[[
  Record conversation lines as text outside a turn's commit (operator
  replies, handoff notes): always in the session's short rolling context
  buffer, and also in its handoff transcript while it is handed off. A
  turn's own lines are stored by its commit (commitTurn-9.lua), with the
  same recordLines (recordLines.lib.lua, included below).

  KEYS[1] rolling context list (recent)   KEYS[2] handoff transcript list
  ARGV[1] context cap (lines; 0 = keep no context)   ARGV[2] context TTL seconds
  ARGV[3] 1 when the session is handed off now   ARGV[4] transcript TTL seconds
  ARGV[5] transcript cap (lines)   ARGV[6..] line JSON objects, each with a unique "id"
  Returns the number of lines added to the transcript.

  Invariant (recordLines): a line is stored at most once per list (a retried
  write records the same ids), the context never holds more than its cap nor
  outlives its TTL, and the transcript only grows while the session is
  handed off.
]]
--#include recordLines.lib.lua
return recordLines(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1', tonumber(ARGV[4]), tonumber(ARGV[5]), { unpack(ARGV, 6, #ARGV) })
