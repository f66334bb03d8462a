import { randomUUID } from 'node:crypto';
import { luaScript, runScript, type RedisClient } from '@medcita/shared';
import type {
  AppointmentAction,
  BookRequest,
  BookResult,
  CancelResult,
  Clock,
  ConfirmResult,
  HoldOptions,
  HoldResult,
} from '../clinic-port.js';
import type { ClinicKeys } from './keys.js';
import { expectFailure, readLuaReply } from './lua-codes.js';
import { parseStoredAppointment, readAppointments } from './stored-records.js';

const holdSlotLua = luaScript(import.meta.url, './lua/holdSlot-3.lua');
const releaseHoldLua = luaScript(import.meta.url, './lua/releaseHold-1.lua');
const bookSlotLua = luaScript(import.meta.url, './lua/bookSlot-8.lua');
const cancelAppointmentLua = luaScript(import.meta.url, './lua/cancelAppointment-4.lua');
const confirmAppointmentLua = luaScript(import.meta.url, './lua/confirmAppointment-1.lua');

export interface SlotBookingsOptions {
  /** How long a repeated idempotency key returns the same appointment (default 7 days). */
  idempotencyTtlSeconds?: number | undefined;
  /** No slot starting sooner than this is held or booked (default 0). */
  minLeadMinutes?: number | undefined;
}

/**
 * The builtin store's holds, bookings, cancellations and confirmations, each
 * done by one Lua script so concurrent sessions cannot collide. The caller
 * (BuiltinClinic) seeds the store first where a call needs its slots.
 */
export class SlotBookings {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ClinicKeys,
    private readonly clock: Clock,
    private readonly opts: SlotBookingsOptions,
  ) {}

  /** Slots starting at or before this instant are too soon: already started, or inside the minimum lead time. */
  cutoff(earliestStart?: string): number {
    const lead = this.clock() + (this.opts.minLeadMinutes ?? 0) * 60_000;
    const asked = earliestStart ? Date.parse(earliestStart) - 1 : NaN;
    return Number.isNaN(asked) ? lead : Math.max(lead, asked);
  }

  async hold(slotId: string, holderId: string, ttlSeconds: number, options?: HoldOptions): Promise<HoldResult> {
    const now = this.clock();
    const ttlMs = Math.max(1, Math.ceil(ttlSeconds * 1000));
    const reply = readLuaReply(
      await runScript(
        this.redis,
        holdSlotLua,
        [this.keys.slots, this.keys.booked, this.keys.hold(slotId)],
        [slotId, holderId, ttlMs, this.cutoff(options?.earliestStart)],
      ),
    );
    if (!reply.ok) return { ok: false, reason: expectFailure(reply.reason, ['taken', 'held', 'not_found']) };
    return { ok: true, expiresAt: new Date(now + ttlMs).toISOString() };
  }

  async release(slotId: string, holderId: string): Promise<void> {
    await runScript(this.redis, releaseHoldLua, [this.keys.hold(slotId)], [holderId]);
  }

  async book(request: BookRequest): Promise<BookResult> {
    const now = this.clock();
    const k = this.keys;
    const reply = readLuaReply(
      await runScript(
        this.redis,
        bookSlotLua,
        [
          k.slots,
          k.booked,
          k.hold(request.slotId),
          k.patients,
          k.appointments,
          k.patientAppointments(request.patientId),
          k.appointmentsByStart,
          k.idempotency(request.idempotencyKey),
        ],
        [
          request.slotId,
          request.patientId,
          request.holderId,
          randomUUID(),
          this.cutoff(request.earliestStart),
          new Date(now).toISOString(),
          this.opts.idempotencyTtlSeconds ?? 7 * 24 * 3600,
        ],
      ),
    );
    if (!reply.ok) {
      const reasons = ['taken', 'held', 'not_found', 'unknown_patient', 'idempotency_conflict'] as const;
      return { ok: false, reason: expectFailure(reply.reason, reasons) };
    }
    return { ok: true, appointment: parseStoredAppointment(String(reply.value)) };
  }

  async cancel(action: AppointmentAction): Promise<CancelResult> {
    const now = this.clock();
    const k = this.keys;
    // The owner never changes, so reading it first is safe; the script checks who may cancel.
    const [stored] = await readAppointments(this.redis, this.keys, [action.appointmentId]);
    const owner = stored?.patientId ?? action.patientId;
    const reply = readLuaReply(
      await runScript(
        this.redis,
        cancelAppointmentLua,
        [k.appointments, k.booked, k.patientAppointments(owner), k.appointmentsByStart],
        [action.appointmentId, action.patientId, now, new Date(now).toISOString()],
      ),
    );
    if (!reply.ok) return { ok: false, reason: expectFailure(reply.reason, ['not_found', 'too_late']) };
    return { ok: true, appointment: parseStoredAppointment(String(reply.value)) };
  }

  async confirm(action: AppointmentAction): Promise<ConfirmResult> {
    const now = this.clock();
    const reply = readLuaReply(
      await runScript(
        this.redis,
        confirmAppointmentLua,
        [this.keys.appointments],
        [action.appointmentId, action.patientId, now, new Date(now).toISOString()],
      ),
    );
    if (!reply.ok) return { ok: false, reason: expectFailure(reply.reason, ['not_found', 'cancelled', 'too_late']) };
    return { ok: true, appointment: parseStoredAppointment(String(reply.value)) };
  }
}
