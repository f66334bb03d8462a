--[[
  Link a family member (dependent) to an account holder, idempotently.

  KEYS[1] patients hash       patientId -> patient or dependent JSON
  KEYS[2] the holder's dependents hash  normalized "name|birthDate" -> dependentId

  ARGV[1] holderId
  ARGV[2] dedupe key: normalized "name|birthDate"
  ARGV[3] new dependentId (used only when a record is created)
  ARGV[4] firstName   ARGV[5] lastName   ARGV[6] birthDate (YYYY-MM-DD)

  Returns {'ok', dependent JSON} (new, or the existing one with the same name and
  birth date), or {'unknown_patient'} when the holder is unknown or is itself a dependent.

  Invariant: a dependent belongs to exactly one holder, one level deep; the
  same person added twice under one holder is one record.
]]
local rawHolder = redis.call('HGET', KEYS[1], ARGV[1])
if not rawHolder then return {'unknown_patient'} end
if cjson.decode(rawHolder).holderId then return {'unknown_patient'} end

local existing = redis.call('HGET', KEYS[2], ARGV[2])
if existing then
  local raw = redis.call('HGET', KEYS[1], existing)
  if raw then return {'ok', raw} end
end

local raw = cjson.encode({
  id = ARGV[3],
  holderId = ARGV[1],
  firstName = ARGV[4],
  lastName = ARGV[5],
  birthDate = ARGV[6],
})
redis.call('HSET', KEYS[1], ARGV[3], raw)
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return {'ok', raw}
