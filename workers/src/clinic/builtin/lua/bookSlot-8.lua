--[[
  Book a slot for a patient, idempotently.

  KEYS[1] slots hash                 slotId -> stored slot JSON (has startsAtMs)
  KEYS[2] booked hash                slotId -> appointmentId
  KEYS[3] hold key                   this slot's hold; value = holderId
  KEYS[4] patients hash              patientId -> patient JSON
  KEYS[5] appointments hash          appointmentId -> appointment JSON
  KEYS[6] patient appointments zset  this patient's active appointments by start ms
  KEYS[7] appointments-by-start zset all active appointments by start ms
  KEYS[8] idempotency key            value = appointmentId, EX ttl

  ARGV[1] slotId
  ARGV[2] patientId
  ARGV[3] holderId
  ARGV[4] new appointmentId (used only when a booking is made)
  ARGV[5] cutoff in epoch milliseconds: now plus the minimum lead time;
          a slot starting at or before it cannot be booked
  ARGV[6] now as ISO string (bookedAt)
  ARGV[7] idempotency ttl in seconds

  Returns {'ok', appointment JSON} (new, or the earlier one for a repeated key), or
    {'not_found'} no such slot / already started / inside the lead time, {'taken'} booked, {'held'} held by another holder,
    {'unknown_patient'} unknown patient, {'idempotency_conflict'} key already used for another slot or patient.

  Invariant: a slot has at most one active appointment, and it is made only
  by the slot's holder or when nobody holds it; one key books at most once.
  A dependent's appointment carries its account holder's id (holderId).
]]
local previous = redis.call('GET', KEYS[8])
if previous then
  local raw = redis.call('HGET', KEYS[5], previous)
  if raw then
    local appointment = cjson.decode(raw)
    if appointment.slot.id == ARGV[1] and appointment.patientId == ARGV[2] then return {'ok', raw} end
    return {'idempotency_conflict'}
  end
end

local rawSlot = redis.call('HGET', KEYS[1], ARGV[1])
if not rawSlot then return {'not_found'} end
local slot = cjson.decode(rawSlot)
if tonumber(slot.startsAtMs) <= tonumber(ARGV[5]) then return {'not_found'} end
local rawPatient = redis.call('HGET', KEYS[4], ARGV[2])
if not rawPatient then return {'unknown_patient'} end
-- A dependent's appointment remembers the account holder, who may then list, cancel and confirm it.
local holderId = cjson.decode(rawPatient).holderId
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'taken'} end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[3] then return {'held'} end

local appointment = cjson.encode({
  id = ARGV[4],
  patientId = ARGV[2],
  slot = slot,
  status = 'booked',
  bookedAt = ARGV[6],
  holderId = holderId,
})
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[5], ARGV[4], appointment)
redis.call('ZADD', KEYS[6], slot.startsAtMs, ARGV[4])
redis.call('ZADD', KEYS[7], slot.startsAtMs, ARGV[4])
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[8], ARGV[4], 'EX', ARGV[7])
return {'ok', appointment}
