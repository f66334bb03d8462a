import type { Redis } from 'ioredis';
import type { Ledger } from './ledger.js';

/**
 * After a dialog soak: no slot holds two live appointments, and as many are
 * stored as were confirmed to patients. Returns how many are stored.
 */
export async function checkBookings(redis: Redis, ledger: Ledger, confirmationsSent: number): Promise<number> {
  let appointmentsStored = 0;
  const all = await redis.hvals('medcita:{clinic}:appointments');
  const bySlot = new Map<string, string[]>();
  for (const raw of all) {
    const a = JSON.parse(raw) as { id: string; status: string; slot: { id: string } };
    if (a.status === 'cancelled') continue;
    appointmentsStored += 1;
    bySlot.set(a.slot.id, [...(bySlot.get(a.slot.id) ?? []), a.id]);
  }
  for (const [slot, ids] of bySlot)
    if (ids.length > 1) ledger.record('doubleBookings', `slot ${slot} holds appointments ${ids.join(', ')}`);
  if (appointmentsStored !== confirmationsSent)
    ledger.record('bookingMismatch', `${appointmentsStored} appointments stored, ${confirmationsSent} bookings confirmed to patients`);
  return appointmentsStored;
}
