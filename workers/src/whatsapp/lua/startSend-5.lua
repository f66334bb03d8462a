--[[
  Everything a sender needs before its request, in one round trip: claims the
  message's marker (or reports who already did), reserves the number's next
  fleet-wide send slot, and, when that slot is near, records the request as
  started. Takes the place of claimSend-1 and acquireSendSlot-4 (and of
  beginSend-1 when the slot is near), and reads Redis's clock once for all
  of them: pacing is fleet-wide, so it runs on one clock, never a worker's.

  KEYS[1] marker: while open a hash (state claimed|sending, owner, claimedAt,
          sendingAt in ms); once done a string, the Graph message id ('1'
          once its turn committed: settleSend-1.lua). A done hash (state=done,
          messageId) is the layout of workers before 2026-11-30 and is read
          the same.
  KEYS[2] schedule key: theoretical arrival time (ms, float) of the number's
          next slot (GCRA without burst: slots 1000/rate ms apart, so no
          1-second window holds more than `rate` sends)
  KEYS[3] number pause key (exists while the number is paused: app or
          account call limits; extendPause-1.lua)
  KEYS[4] pair pause key (exists while this recipient is throttled, 131056)
  KEYS[5] rate key: hash {rate (msg/s), at (ms)}, written by lowerSendRate-1;
          absent means the ceiling, else it climbs back by `increase` msg/s
          per second since `at`
  ARGV[1] owner token of the caller
  ARGV[2] marker TTL in ms
  ARGV[3] unknown-outcome grace in ms: how long after its request started a
          send may still be settled (by its sender, or by WhatsApp's status
          webhook echoing the key) before it counts as lost
  ARGV[4] takeover age in ms: a claim whose owner has not started its
          request after this long is presumed dead (a live owner only waits
          for a send slot or a pause, well under a request timeout)
  ARGV[5] ceiling rate in msg/s (SEND_RATE_PER_SECOND)
  ARGV[6] additive increase in msg/s per second
  ARGV[7] begin-within in ms: the request is recorded as started (sendingAt =
          its slot's time) only when the slot is at most this far away; a
          later slot is reserved and the caller runs beginSend-1 once there
  ARGV[8] 'claim' on the caller's first call; 'own' on later ones (after a
          pause or a failed attempt), which only go on while the caller
          still owns the open marker, like beginSend-1

  Returns {status, from, n}; `from` is whose unfinished claim this call took
  over: '' (nobody), 'takeover' (an owner that claimed over `takeover` ago and
  never started its request: nothing reached WhatsApp) or 'unknown' (an owner
  whose request started over `grace` ago and was never settled: resend)
    {'done', messageId, 0} already sent; do not send again ('claim' only)
    {'busy', '', ageMs}    a request of another owner may be in flight
    {'lost', '', 0}        'own': another sender took over, or it is done
    {'number_paused', from, ms} / {'pair_paused', from, ms}: the caller owns
                           the claim but nothing is reserved; ask again
                           ('own') after ms
    {'sending', from, ms}  slot reserved and request recorded as started:
                           send after ms
    {'reserved', from, ms} slot reserved, request not recorded: wait ms,
                           then beginSend-1, then send

  Invariants: at most one owner holds an unfinished marker, and it changes
  hands only from a presumed-dead owner; a done marker (a string, or a hash
  with state=done) is never reopened; a request is only recorded as started
  for the marker's current owner, and sendingAt is never earlier than the
  slot it goes out in; a slot is handed out only when no pause applies, each
  at least one interval (at the current rate, never above the ceiling) after
  the previous one.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nowMs = math.floor(now)
local owner = ARGV[1]
local from = ''
-- A claim that did not exist before this call: written once, at the end, with its final state.
local fresh = false

-- The marker's fields, or nil when it is a done string: HMGET fails on a
-- string with WRONGTYPE, so one command tells the layouts apart (TYPE first
-- would be two). A missing marker reads as a hash without fields.
local function fields(...)
  local ok, reply = pcall(redis.call, 'HMGET', KEYS[1], ...)
  if ok then return reply end
  if not string.find(tostring(type(reply) == 'table' and reply.err or reply), 'WRONGTYPE', 1, true) then error(reply) end
  return nil
end

if ARGV[8] == 'claim' then
  local m = fields('state', 'owner', 'claimedAt', 'sendingAt')
  if not m then return {'done', redis.call('GET', KEYS[1]), 0} end
  local state = m[1]
  if not state then
    fresh = true
  elseif state == 'done' then
    return {'done', redis.call('HGET', KEYS[1], 'messageId') or '', 0}
  elseif m[2] ~= owner then
    if state == 'claimed' then
      local age = nowMs - (tonumber(m[3]) or nowMs)
      if age < tonumber(ARGV[4]) then return {'busy', '', age} end
      redis.call('HSET', KEYS[1], 'owner', owner, 'claimedAt', nowMs)
      from = 'takeover'
    else
      local age = nowMs - (tonumber(m[4]) or nowMs)
      if age < tonumber(ARGV[3]) then return {'busy', '', age} end
      redis.call('HSET', KEYS[1], 'state', 'claimed', 'owner', owner, 'claimedAt', nowMs)
      redis.call('HDEL', KEYS[1], 'sendingAt')
      from = 'unknown'
    end
  end
else
  local m = fields('state', 'owner')
  if not m or (m[1] ~= 'claimed' and m[1] ~= 'sending') or m[2] ~= owner then return {'lost', '', 0} end
end

local function claimFresh()
  if fresh then
    redis.call('HSET', KEYS[1], 'state', 'claimed', 'owner', owner, 'claimedAt', nowMs)
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
end

local numberPause = redis.call('PTTL', KEYS[3])
if numberPause > 0 then
  claimFresh()
  return {'number_paused', from, numberPause}
end
local pairPause = redis.call('PTTL', KEYS[4])
if pairPause > 0 then
  claimFresh()
  return {'pair_paused', from, pairPause}
end

local ceiling = tonumber(ARGV[5])
local rate = ceiling
local lowered = redis.call('HMGET', KEYS[5], 'rate', 'at')
if lowered[1] then
  rate = math.min(ceiling, tonumber(lowered[1]) + tonumber(ARGV[6]) * math.max(0, now - tonumber(lowered[2])) / 1000)
end
local interval = 1000 / rate
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
local slot = math.max(now, tat)
redis.call('SET', KEYS[2], string.format('%.3f', slot + interval), 'PX', math.ceil(slot - now + interval) + 1000)
local wait = math.ceil(slot - now)

if wait > tonumber(ARGV[7]) then
  claimFresh()
  return {'reserved', from, wait}
end
if fresh then
  redis.call('HSET', KEYS[1], 'state', 'sending', 'owner', owner, 'claimedAt', nowMs, 'sendingAt', nowMs + wait)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('HSET', KEYS[1], 'state', 'sending', 'sendingAt', nowMs + wait)
end
return {'sending', from, wait}
