--[[
  Cancel a patient's own appointment and free its slot.

  KEYS[1] appointments hash          appointmentId -> appointment JSON
  KEYS[2] booked hash                slotId -> appointmentId
  KEYS[3] patient appointments zset  the owner's active appointments
  KEYS[4] appointments-by-start zset all active appointments

  ARGV[1] appointmentId
  ARGV[2] patientId (the caller: the owner, or the owner's account holder)
  ARGV[3] now in epoch milliseconds
  ARGV[4] now as ISO string (cancelledAt)

  Returns {'ok', appointment JSON} (already cancelled ones unchanged), or
    {'not_found'} absent or another patient's, {'too_late'} already started.

  Invariant: only the owner (or a dependent owner's account holder) cancels; a cancelled appointment leaves every
  active index and its slot becomes bookable again.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {'not_found'} end
local appointment = cjson.decode(raw)
if appointment.patientId ~= ARGV[2] and appointment.holderId ~= ARGV[2] then return {'not_found'} end
if appointment.status == 'cancelled' then return {'ok', raw} end
if tonumber(appointment.slot.startsAtMs) <= tonumber(ARGV[3]) then return {'too_late'} end

appointment.status = 'cancelled'
appointment.cancelledAt = ARGV[4]
raw = cjson.encode(appointment)
redis.call('HSET', KEYS[1], ARGV[1], raw)
if redis.call('HGET', KEYS[2], appointment.slot.id) == ARGV[1] then
  redis.call('HDEL', KEYS[2], appointment.slot.id)
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return {'ok', raw}
