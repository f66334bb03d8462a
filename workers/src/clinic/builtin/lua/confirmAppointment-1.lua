--[[
  Mark a patient's own appointment as confirmed (reply to a reminder).

  KEYS[1] appointments hash  appointmentId -> appointment JSON

  ARGV[1] appointmentId
  ARGV[2] patientId (the caller: the owner, or the owner's account holder)
  ARGV[3] now in epoch milliseconds
  ARGV[4] now as ISO string (confirmedAt)

  Returns the appointment JSON (already confirmed ones unchanged), or
    -1 absent or another patient's, -6 already started, -7 cancelled.

  Invariant: only the owner (or a dependent owner's account holder) confirms, and only an active future appointment.
]]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return -1 end
local appointment = cjson.decode(raw)
if appointment.patientId ~= ARGV[2] and appointment.holderId ~= ARGV[2] then return -1 end
if appointment.status == 'cancelled' then return -7 end
if appointment.status == 'confirmed' then return raw end
if tonumber(appointment.slot.startsAtMs) <= tonumber(ARGV[3]) then return -6 end

appointment.status = 'confirmed'
appointment.confirmedAt = ARGV[4]
raw = cjson.encode(appointment)
redis.call('HSET', KEYS[1], ARGV[1], raw)
return raw
