--[[
  Claims the right to send one outbound message (idempotency marker), or
  reports who already did.

  KEYS[1] marker: while open a hash (state claimed|sending, owner,
          claimedAt, sendingAt in ms); once done a string, the Graph message
          id ('1' once its turn committed: settleSend-1.lua). A done hash
          (state=done, messageId) is the layout before this version and is
          read the same.
  ARGV[1] owner token of the caller
  ARGV[2] marker TTL in ms
  ARGV[3] unknown-outcome grace in ms: how long after its request started a
          send may still be settled (by its sender, or by WhatsApp's status
          webhook echoing the key) before it counts as lost
  ARGV[4] takeover age in ms: a claim whose owner has not started its
          request after this long is presumed dead (a live owner only waits
          for a send slot, well under a request timeout)

  Returns
    {'claimed', ''}         the caller owns the send now
    {'claimed', 'takeover'} taken from an owner that claimed over `takeover`
                            ago and never started its request: nothing can
                            have reached WhatsApp
    {'claimed', 'unknown'}  taken from an owner whose request started over
                            `grace` ago and was never settled: resend
    {'done', messageId}     already sent; do not send again
    {'busy', ageMs}         a request of another owner may be in flight

  A second owner only appears when the first lost its turn (crash, lost
  session lock), so taking over is safe; beginSend-1.lua makes a displaced
  owner stand down before it sends.

  Invariant: at most one owner holds an unfinished marker; a done marker (a
  string, or a hash with state=done) is never reopened.
]]
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return {'done', redis.call('GET', KEYS[1])} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'claimed', 'owner', ARGV[1], 'claimedAt', now)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'claimed', ''}
end
if state == 'done' then
  return {'done', redis.call('HGET', KEYS[1], 'messageId') or ''}
end
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return {'claimed', ''}
end
if state == 'claimed' then
  local claimedAt = tonumber(redis.call('HGET', KEYS[1], 'claimedAt') or now)
  if now - claimedAt < tonumber(ARGV[4]) then return {'busy', tostring(now - claimedAt)} end
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'claimedAt', now)
  return {'claimed', 'takeover'}
end
local sendingAt = tonumber(redis.call('HGET', KEYS[1], 'sendingAt') or now)
if now - sendingAt >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'state', 'claimed', 'owner', ARGV[1], 'claimedAt', now)
  redis.call('HDEL', KEYS[1], 'sendingAt')
  return {'claimed', 'unknown'}
end
return {'busy', tostring(now - sendingAt)}
