--[[
  Mark a patient's own appointment as confirmed (reply to a reminder).

  KEYS[1] appointments hash  appointmentId -> appointment JSON

  ARGV[1] appointmentId
  ARGV[2] patientId (the caller: the owner, or the owner's account holder)
  ARGV[3] now in epoch milliseconds
  ARGV[4] now as ISO string (confirmedAt)

  Returns {'ok', appointment JSON} (already confirmed ones unchanged), or
    {'not_found'} absent or another patient's, {'too_late'} already started, {'cancelled'} cancelled.

  Invariant: only the owner (or a dependent owner's account holder) confirms, and only an active future appointment.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {'not_found'} end
local appointment = cjson.decode(raw)
if appointment.patientId ~= ARGV[2] and appointment.holderId ~= ARGV[2] then return {'not_found'} end
if appointment.status == 'cancelled' then return {'cancelled'} end
if appointment.status == 'confirmed' then return {'ok', raw} end
if tonumber(appointment.slot.startsAtMs) <= tonumber(ARGV[3]) then return {'too_late'} end

appointment.status = 'confirmed'
appointment.confirmedAt = ARGV[4]
raw = cjson.encode(appointment)
redis.call('HSET', KEYS[1], ARGV[1], raw)
return {'ok', raw}
