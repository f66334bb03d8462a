--[[
  Admit one verification attempt against a document and count it as a failure
  up front (a success refunds it with HDEL), with back-off that doubles with
  every failure past the free ones.

  KEYS[1] failures hash of the document (key named by a keyed digest of the
          document, with its own hash tag; field per attempt id, value = ms)
  ARGV[1] attempt id (turn id + message index: a retried turn counts once)
  ARGV[2] now, ms
  ARGV[3] free failures before any back-off
  ARGV[4] first back-off, ms
  ARGV[5] longest back-off, ms
  ARGV[6] how long failures are remembered after the back-off ends, ms
  Returns 0 when admitted (or already admitted), else the ms until the
  document may be tried again.

  Invariant: an attempt is stored only when no back-off is running, so the
  hash grows by at most one field per back-off period; the hash always has a
  TTL that outlives the current back-off by the memory window.
]]
local now = tonumber(ARGV[2])
local free = tonumber(ARGV[3])
local base = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local memory = tonumber(ARGV[6])

local function backoff(count)
  if count < free then return 0 end
  return math.min(cap, base * 2 ^ (count - free))
end

if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end

local stamps = redis.call('HVALS', KEYS[1])
local last = 0
for _, v in ipairs(stamps) do
  local t = tonumber(v)
  if t > last then last = t end
end
local wait = last + backoff(#stamps) - now
if wait > 0 then return math.ceil(wait) end

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.floor(backoff(#stamps + 1) + memory))
return 0
