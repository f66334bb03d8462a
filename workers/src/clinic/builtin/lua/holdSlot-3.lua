--[[
  Hold a free slot for one holder (a session) for a limited time.

  KEYS[1] slots hash        slotId -> stored slot JSON (has startsAtMs)
  KEYS[2] booked hash       slotId -> appointmentId
  KEYS[3] hold key          this slot's hold; value = holderId, PX ttl

  ARGV[1] slotId
  ARGV[2] holderId
  ARGV[3] ttl in milliseconds
  ARGV[4] cutoff in epoch milliseconds: now plus the minimum lead time;
          a slot starting at or before it cannot be held

  Returns {'ok', 'held'} when held (or extended), or
    {'not_found'} no such slot / already started / inside the lead time, {'taken'} booked,
    {'held'} held by another holder.

  Invariant: at any moment a slot has at most one holder and is never held
  once booked; only the same holder can extend its hold.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {'not_found'} end
if tonumber(cjson.decode(raw).startsAtMs) <= tonumber(ARGV[4]) then return {'not_found'} end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'taken'} end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[2] then return {'held'} end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
return {'ok', 'held'}
