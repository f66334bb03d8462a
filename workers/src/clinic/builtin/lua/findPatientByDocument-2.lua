--[[
  The patient a document is on file for, in one round trip (the id, then the
  record; two client reads cost a turn two round trips).

  KEYS[1] patients-by-document hash (document -> patientId)   KEYS[2] patients hash (patientId -> JSON)
  ARGV[1] normalized document

  Returns the patient JSON, or false (nil) when the document is not on file.

  Invariant: reads only; answers exactly what HGET of the index and then of
  the record would (a record set apart for review is not indexed by document).
]]
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[2], id)
