--[[
  Register a patient who wrote from WhatsApp, idempotently.

  KEYS[1] patients hash              patientId -> patient JSON
  KEYS[2] patients-by-document hash  normalized document -> patientId
  KEYS[3] patients-by-phone hash     phone -> patientId

  ARGV[1] normalized document (validated by the caller)
  ARGV[2] phone (digits)
  ARGV[3] new patientId (used only when a record is created)
  ARGV[4] firstName   ARGV[5] lastName   ARGV[6] birthDate (YYYY-MM-DD)
  ARGV[7] consent time (ISO)   ARGV[8] consent text version

  Returns {'ok', patient JSON} (new, or the earlier one for the same document
  and phone), or {'phone_taken'} when the phone belongs to a patient with another document.

  Invariant: one phone maps to at most one patient, and a document maps to
  at most one patient. A document already on file for someone else never
  fails the call: the new record is kept apart (needsReview, not indexed by
  document), so the answer is the same whether or not the document existed.
]]
local byPhone = redis.call('HGET', KEYS[3], ARGV[2])
if byPhone then
  local raw = redis.call('HGET', KEYS[1], byPhone)
  if raw then
    if cjson.decode(raw).documentNumber == ARGV[1] then return {'ok', raw} end
    return {'phone_taken'}
  end
end

local patient = {
  id = ARGV[3],
  documentNumber = ARGV[1],
  firstName = ARGV[4],
  lastName = ARGV[5],
  phone = ARGV[2],
  birthDate = ARGV[6],
  consent = { at = ARGV[7], version = ARGV[8] },
}
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  patient.needsReview = 'document_on_file'
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
end
local raw = cjson.encode(patient)
redis.call('HSET', KEYS[1], ARGV[3], raw)
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return {'ok', raw}
