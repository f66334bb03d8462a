import { randomUUID } from 'node:crypto';
import { luaScript, runScript, type RedisClient } from '@medcita/shared';
import {
  cleanName,
  isPlausibleDocument,
  isPlausibleName,
  isRealPastDate,
  normalizeDocument,
  type AddDependentRequest,
  type AddDependentResult,
  type Clock,
  type Dependent,
  type Patient,
  type RegisterPatientRequest,
  type RegisterPatientResult,
} from '../clinic-port.js';
import type { ClinicKeys } from './keys.js';
import { expectFailure, readLuaReply } from './lua-codes.js';

const registerPatientLua = luaScript(import.meta.url, './lua/registerPatient-3.lua');
const addDependentLua = luaScript(import.meta.url, './lua/addDependent-2.lua');

/** The patients hash holds patients and dependents; a dependent is the record with a holderId. */
export type PatientRecord = Patient | Dependent;

export function isDependent(record: PatientRecord): record is Dependent {
  return 'holderId' in record && typeof record.holderId === 'string';
}

const digits = (phone: string) => phone.replace(/\D/g, '');
const dedupeKey = (first: string, last: string, birthDate: string) =>
  `${`${first} ${last}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()}|${birthDate}`;

/** Registration and family members of the builtin store (docs/clinic-backend.md). */
export class PatientRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ClinicKeys,
    private readonly clock: Clock,
  ) {}

  async byId(ids: string[]): Promise<Map<string, PatientRecord>> {
    const found = new Map<string, PatientRecord>();
    if (ids.length === 0) return found;
    const raws = await this.redis.hmget(this.keys.patients, ...ids);
    raws.forEach((raw) => {
      if (raw) {
        const record = JSON.parse(raw) as PatientRecord;
        found.set(record.id, record);
      }
    });
    return found;
  }

  async findByPhone(phone: string): Promise<Patient | null> {
    const id = await this.redis.hget(this.keys.patientsByPhone, digits(phone));
    const record = id ? (await this.byId([id])).get(id) : undefined;
    return record && !isDependent(record) ? record : null;
  }

  async register(request: RegisterPatientRequest): Promise<RegisterPatientResult> {
    const document = normalizeDocument(request.documentNumber);
    const [first, last] = [cleanName(request.firstName), cleanName(request.lastName)];
    const phone = digits(request.phone);
    const valid =
      isPlausibleDocument(document) &&
      isPlausibleName(first) &&
      isPlausibleName(last) &&
      isRealPastDate(request.birthDate, this.clock()) &&
      /^\d{8,15}$/.test(phone) &&
      !Number.isNaN(Date.parse(request.consent?.at ?? '')) &&
      !!request.consent?.version;
    if (!valid) return { ok: false, reason: 'invalid' };
    const k = this.keys;
    const reply = readLuaReply(
      await runScript(
        this.redis,
        registerPatientLua,
        [k.patients, k.patientsByDocument, k.patientsByPhone],
        [document, phone, `pac-${randomUUID()}`, first, last, request.birthDate, request.consent.at, request.consent.version],
      ),
    );
    if (!reply.ok) return { ok: false, reason: expectFailure(reply.reason, ['phone_taken']) };
    return { ok: true, patient: JSON.parse(String(reply.value)) as Patient };
  }

  async listDependents(holderId: string): Promise<Dependent[]> {
    const ids = await this.redis.hvals(this.keys.dependents(holderId));
    const records = await this.byId(ids);
    return ids
      .flatMap((id) => {
        const r = records.get(id);
        return r && isDependent(r) && r.holderId === holderId ? [r] : [];
      })
      .sort((a, b) => a.firstName.localeCompare(b.firstName, 'es'));
  }

  async addDependent(request: AddDependentRequest): Promise<AddDependentResult> {
    const [first, last] = [cleanName(request.firstName), cleanName(request.lastName ?? '')];
    const valid = isPlausibleName(first) && (last === '' || isPlausibleName(last)) && isRealPastDate(request.birthDate, this.clock());
    if (!valid) return { ok: false, reason: 'invalid' };
    const reply = readLuaReply(
      await runScript(
        this.redis,
        addDependentLua,
        [this.keys.patients, this.keys.dependents(request.holderId)],
        [request.holderId, dedupeKey(first, last, request.birthDate), `dep-${randomUUID()}`, first, last, request.birthDate],
      ),
    );
    if (!reply.ok) return { ok: false, reason: expectFailure(reply.reason, ['unknown_patient']) };
    return { ok: true, dependent: JSON.parse(String(reply.value)) as Dependent };
  }
}
