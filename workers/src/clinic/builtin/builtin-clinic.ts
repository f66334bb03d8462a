import { luaScript, runScript, type Logger, type RedisClient } from '@medcita/shared';
import {
  MAX_PAGE_SIZE,
  normalizeDocument,
  type Appointment,
  type AppointmentAction,
  type BookRequest,
  type BookResult,
  type BookingLookup,
  type CancelResult,
  type ClinicHealth,
  type ClinicPort,
  type Clock,
  type ConfirmResult,
  type ClinicInfo,
  type HoldOptions,
  type AddDependentRequest,
  type AddDependentResult,
  type Dependent,
  type RegisterPatientRequest,
  type RegisterPatientResult,
  type HoldResult,
  type ListFreeSlotsQuery,
  type Patient,
  type SlotPage,
  type Specialty,
  type UpcomingAppointment,
} from '../clinic-port.js';
import { clinicKeys, type ClinicKeys } from './keys.js';
import type { SeedData } from './seed-data.js';
import { seedStore } from './seed-store.js';
import { findFreeSlots, slotFilter } from './free-slots.js';
import { clinicInfoOf } from './seed-info.js';
import { readAppointments } from './stored-records.js';
import { SlotBookings } from './slot-bookings.js';
import { isDependent, PatientRecords } from './patient-records.js';
import { SeedSchedule } from './seed-schedule.js';

const findPatientByDocumentLua = luaScript(import.meta.url, './lua/findPatientByDocument-2.lua');

export interface BuiltinClinicOptions {
  redis: RedisClient;
  seed: SeedData;
  /** Must contain a {hash tag}; tests pass a unique one. */
  keyPrefix: string;
  timeZone: string;
  clock?: Clock;
  logger?: Logger;
  /** Calendar days of slots kept ahead (default 14). */
  slotDays?: number;
  /** How long a repeated idempotency key returns the same appointment (default 7 days). */
  idempotencyTtlSeconds?: number;
  /** No slot starting sooner than this is listed, held or booked (default 0; the service passes SLOT_MIN_LEAD_MINUTES). */
  minLeadMinutes?: number;
}

/**
 * Redis-backed demo clinic: reference data from a seed file, slots generated
 * for the coming days, and every hold, booking, cancellation and
 * confirmation done by one Lua script so concurrent sessions cannot collide.
 */
export class BuiltinClinic implements ClinicPort {
  readonly keys: ClinicKeys;
  private readonly redis: RedisClient;
  private readonly clock: Clock;
  private readonly schedule: SeedSchedule;
  private readonly records: PatientRecords;
  private readonly bookings: SlotBookings;

  constructor(private readonly opts: BuiltinClinicOptions) {
    this.keys = clinicKeys(opts.keyPrefix);
    this.redis = opts.redis;
    this.clock = opts.clock ?? Date.now;
    this.records = new PatientRecords(this.redis, this.keys, this.clock);
    this.bookings = new SlotBookings(this.redis, this.keys, this.clock, {
      idempotencyTtlSeconds: opts.idempotencyTtlSeconds,
      minLeadMinutes: opts.minLeadMinutes,
    });
    this.schedule = new SeedSchedule(() => this.seed(), { clock: this.clock, timeZone: opts.timeZone, logger: opts.logger });
  }

  /** Writes reference data and the slot window; idempotent, never touches bookings. */
  async seed(): Promise<number> {
    const now = this.clock();
    const count = await seedStore(this.redis, this.keys, this.opts.seed, {
      now,
      timeZone: this.opts.timeZone,
      days: this.opts.slotDays ?? 14,
    });
    this.schedule.seeded(now);
    this.opts.logger?.debug({ slots: count }, 'builtin clinic store seeded');
    return count;
  }

  /** Seeds now and at each clinic-local midnight (seed-schedule.ts), so no patient's turn pays for it. */
  start(): Promise<void> {
    return this.schedule.start();
  }

  /** Stops the midnight re-seed; idempotent. */
  async stop(): Promise<void> {
    this.schedule.stop();
  }

  private ensureSeeded(): Promise<void> {
    return this.schedule.ensure();
  }

  async findPatientByDocument(documentNumber: string): Promise<Patient | null> {
    await this.ensureSeeded();
    const keys = [this.keys.patientsByDocument, this.keys.patients];
    const raw = await runScript<string | null>(this.redis, findPatientByDocumentLua, keys, [normalizeDocument(documentNumber)]);
    return raw ? (JSON.parse(raw) as Patient) : null;
  }

  async findPatientByPhone(phone: string): Promise<Patient | null> {
    await this.ensureSeeded();
    return this.records.findByPhone(phone);
  }

  async registerPatient(request: RegisterPatientRequest): Promise<RegisterPatientResult> {
    await this.ensureSeeded();
    return this.records.register(request);
  }

  async listDependents(holderId: string): Promise<Dependent[]> {
    await this.ensureSeeded();
    return this.records.listDependents(holderId);
  }

  async addDependent(request: AddDependentRequest): Promise<AddDependentResult> {
    await this.ensureSeeded();
    return this.records.addDependent(request);
  }

  /** From the seed file in memory, like clinicInfo: it is what seeding writes, and it changes only with a restart. */
  async listSpecialties(): Promise<Specialty[]> {
    return structuredClone(this.opts.seed.specialties);
  }

  async listFreeSlots(query: ListFreeSlotsQuery): Promise<SlotPage> {
    await this.ensureSeeded();
    const page = Math.max(1, Math.floor(query.page));
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize)));
    const filter = query.filters ? slotFilter(query.filters, this.opts.timeZone) : undefined;
    const from = Math.max(this.bookings.cutoff() + 1, instant(query.from ?? '') || 0, filter?.earliestMs ?? 0);
    const found = await findFreeSlots(this.redis, this.keys, {
      specialty: query.specialty,
      fromMs: from,
      skip: (page - 1) * pageSize,
      take: pageSize + 1,
      holderId: query.holderId,
      ...(filter && { accept: filter.accept, untilMs: filter.latestMs }),
    });
    return { slots: found.slice(0, pageSize), page, hasMore: found.length > pageSize };
  }

  async holdSlot(slotId: string, holderId: string, ttlSeconds: number, options?: HoldOptions): Promise<HoldResult> {
    await this.ensureSeeded();
    return this.bookings.hold(slotId, holderId, ttlSeconds, options);
  }

  releaseHold(slotId: string, holderId: string): Promise<void> {
    return this.bookings.release(slotId, holderId);
  }

  async book(request: BookRequest): Promise<BookResult> {
    await this.ensureSeeded();
    return this.bookings.book(request);
  }

  async findBooking(lookup: BookingLookup): Promise<Appointment | null> {
    const id = await this.redis.get(this.keys.idempotency(lookup.idempotencyKey));
    const [appointment] = id ? await readAppointments(this.redis, this.keys, [id]) : [];
    if (!appointment || (appointment.patientId !== lookup.patientId && appointment.holderId !== lookup.patientId)) return null;
    return appointment;
  }

  async listAppointments(patientId: string): Promise<Appointment[]> {
    const owners = [patientId, ...(await this.redis.hvals(this.keys.dependents(patientId)))];
    const now = this.clock();
    const ids = (
      await Promise.all(owners.map((o) => this.redis.zrangebyscore(this.keys.patientAppointments(o), `(${now}`, '+inf')))
    ).flat();
    return (await readAppointments(this.redis, this.keys, ids))
      .filter((a) => (a.patientId === patientId || a.holderId === patientId) && a.status !== 'cancelled')
      .sort((a, b) => Date.parse(a.slot.startsAt) - Date.parse(b.slot.startsAt));
  }

  cancelAppointment(action: AppointmentAction): Promise<CancelResult> {
    return this.bookings.cancel(action);
  }

  confirmAppointment(action: AppointmentAction): Promise<ConfirmResult> {
    return this.bookings.confirm(action);
  }

  async upcomingAppointments(window: { from: string; to: string }): Promise<UpcomingAppointment[]> {
    const [from, to] = [instant(window.from), instant(window.to)];
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('upcomingAppointments needs ISO instants');
    const ids = await this.redis.zrangebyscore(this.keys.appointmentsByStart, from, `(${to}`);
    const appointments = (await readAppointments(this.redis, this.keys, ids)).filter((a) => a.status !== 'cancelled');
    const owners = await this.records.byId([...new Set(appointments.map((a) => a.patientId))]);
    // A dependent's reminder goes to the account holder, naming the dependent.
    const holders = await this.records.byId([...owners.values()].flatMap((r) => (isDependent(r) ? [r.holderId] : [])));
    return appointments.flatMap((appointment) => {
      const owner = owners.get(appointment.patientId);
      const contact = owner && isDependent(owner) ? holders.get(owner.holderId) : owner;
      if (!owner || !contact || isDependent(contact)) return [];
      return [
        {
          appointment,
          patient: { id: contact.id, firstName: contact.firstName, lastName: contact.lastName, phone: contact.phone },
          ...(isDependent(owner) && { dependent: { id: owner.id, firstName: owner.firstName, lastName: owner.lastName } }),
          needsConfirmation: appointment.status === 'booked',
        },
      ];
    });
  }

  async clinicInfo(): Promise<ClinicInfo> {
    return clinicInfoOf(this.opts.seed);
  }

  async health(): Promise<ClinicHealth> {
    try {
      await this.redis.ping();
      return { ok: true, backend: 'builtin' };
    } catch (err) {
      return { ok: false, backend: 'builtin', detail: (err as Error).message };
    }
  }
}

const instant = (iso: string): number => Date.parse(iso);
