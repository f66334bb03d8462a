--[[
  An operator takes a handed-off conversation, or (mode 'touch') shows it is
  still working on one it holds; both restart the wait before the timeout.

  KEYS[1] flag key of the session   KEYS[2] index of flagged sessions (zset)   KEYS[3] inbox version counter
  ARGV[1] session key   ARGV[2] operator id   ARGV[3] now, epoch ms   ARGV[4] timeout seconds
  ARGV[5] grace seconds the flag outlives its expiry   ARGV[6] 'take' or 'touch'
  Returns { 'ok', operator } when the operator holds it now, { 'taken', other }
  when another operator holds it, { 'missing', '' } when the session is not
  handed off, and for 'touch' { 'not_taken', '' } when nobody holds it.

  Invariant: at most one operator holds a conversation; only 'take' on a
  conversation nobody holds assigns it, so two operators can never both
  believe they answer the same patient.
]]
local current = redis.call('GET', KEYS[1])
if not current then return { 'missing', '' } end
local flag = cjson.decode(current)
local holder = flag.assignee
if holder and holder ~= ARGV[2] then return { 'taken', holder } end
if ARGV[6] == 'touch' and not holder then return { 'not_taken', '' } end
local now = tonumber(ARGV[3])
flag.assignee = ARGV[2]
if not flag.takenAt then flag.takenAt = now end
flag.expiresAt = now + tonumber(ARGV[4]) * 1000
redis.call('SET', KEYS[1], cjson.encode(flag), 'EX', tonumber(ARGV[4]) + tonumber(ARGV[5]))
redis.call('ZADD', KEYS[2], flag.expiresAt, ARGV[1])
redis.call('INCR', KEYS[3])
return { 'ok', ARGV[2] }
