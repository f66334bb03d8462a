/**
 * Reminders (docs/reminders.md): which appointments a tick enqueues, once,
 * after a late booking, a switch-on or downtime, and one tick scheduler for the fleet.
 */
import { randomUUID } from 'node:crypto';
import { JobName } from '@medcita/shared';
import { testRedis } from '@medcita/testkit';
import { Queue } from 'bullmq';
import { es } from '../../src/dialog/index.js';
import { startReminders, type SendReminderJob } from '../../src/reminders/index.js';
import { HOUR, logger, PN, startOf, useReminderFixture } from './reminder-fixture.js';

describe('reminders', () => {
  const fx = useReminderFixture();

  it('a tick enqueues each active appointment of its window once, however often it runs', async () => {
    const [a, b, c] = await fx.book(3, fx.now + 24 * HOUR);
    await fx.clinic.cancelAppointment({ appointmentId: c!.id, patientId: c!.patientId });
    const later = await fx.book(1, fx.now + 26 * HOUR, 'dermatologia');
    // A tick one minute before a's 24-hour mark: its window [t + 24 h, t + 24 h + 5 min + overlap) holds a.
    const t = Date.parse(a!.slot.startsAt) - 24 * HOUR - 60_000;
    const { from, to } = fx.service.window(t);
    const inWindow = [a!, b!].filter((x) => Date.parse(x.slot.startsAt) >= from && Date.parse(x.slot.startsAt) < to);
    expect(inWindow.map((x) => x.id)).toContain(a!.id);
    await Promise.all([fx.service.tick(t), fx.service.tick(t), fx.service.tick(t + 1000)]);
    expect([...fx.queued.keys()].sort()).toEqual(inWindow.map((x) => `reminder-24h-${x.id}`).sort());
    expect([...fx.queued.keys()]).not.toContain(`reminder-24h-${later[0]!.id}`);
    expect([...fx.queued.keys()]).not.toContain(`reminder-24h-${c!.id}`);
    // Every tick looks at the whole band, from the minimum notice on: nothing between two windows is missed.
    const late = t + 300_000 + 120_000; // a tick two minutes late
    expect(fx.service.window(late).from).toBe(late + 2 * HOUR);
  });

  it('an appointment booked inside the lead time is reminded at the next tick, unless it starts within the minimum notice', async () => {
    const [tooSoon] = await fx.book(1, fx.now + 30 * HOUR, 'dermatologia');
    // Booked (or first seen) 90 minutes before it starts: too late for a reminder to help.
    fx.now = startOf(tooSoon) - 90 * 60_000;
    await fx.service.tick(fx.now);
    expect([...fx.queued.keys()]).not.toContain(`reminder-24h-${tooSoon!.id}`);

    // Booked this afternoon for tomorrow morning: 5 hours ahead, inside the 24-hour lead.
    const [soonish] = await fx.book(1, fx.now + 30 * HOUR);
    fx.now = startOf(soonish) - 5 * HOUR;
    await fx.service.tick(fx.now);
    expect([...fx.queued.keys()]).toEqual([`reminder-24h-${soonish!.id}`]);
    expect(await fx.service.send(fx.queued.get(`reminder-24h-${soonish!.id}`)!, fx.now + 1_000)).toBe('sent');
    expect(fx.graph.sent.filter((m) => JSON.stringify(m.payload).includes(soonish!.id))).toHaveLength(1);
  });

  it('switching reminders on covers the appointments already inside the window', async () => {
    // Booked while reminders were off: no tick ever ran (nothing in Redis about reminders).
    const booked = await fx.book(4, fx.now + 30 * HOUR);
    const starts = booked.map(startOf);
    fx.now = Math.min(...starts) - 3 * HOUR;
    expect(Math.max(...starts)).toBeLessThan(fx.now + 24 * HOUR);
    await fx.service.tick(fx.now);
    expect([...fx.queued.keys()].sort()).toEqual(booked.map((a) => `reminder-24h-${a.id}`).sort());
    // A second tick adds nothing new.
    fx.queued.clear();
    await fx.service.tick(fx.now + 300_000);
    expect([...fx.queued.keys()]).toEqual([]);
  });

  it('a catch-up after downtime never reminds an appointment that has started or is about to', async () => {
    const [started] = await fx.book(1, fx.now + 30 * HOUR);
    const [imminent] = await fx.book(1, startOf(started) + 30 * 60_000, 'dermatologia');
    const [later] = await fx.book(1, startOf(imminent) + 3 * HOUR, 'odontologia');
    // Before the fleet went down, a tick had enqueued the first two.
    const jobs = [started!, imminent!].map((a): SendReminderJob => ({ kind: '24h', appointmentId: a.id, startsAt: a.slot.startsAt }));
    // Back up after the first one started and ten minutes before the second.
    const back = startOf(imminent) - 10 * 60_000;
    expect(back).toBeGreaterThan(startOf(started));
    expect(startOf(later)).toBeLessThan(back + 24 * HOUR);
    fx.now = back;
    await fx.service.tick(back);
    expect([...fx.queued.keys()]).toEqual([`reminder-24h-${later!.id}`]);
    expect(await fx.service.send(jobs[0]!, back)).toBe('past');
    expect(await fx.service.send(jobs[1]!, back)).toBe('too_soon');
    expect(await fx.service.send(fx.queued.get(`reminder-24h-${later!.id}`)!, back)).toBe('sent');
    expect(fx.graph.sent.filter((m) => JSON.stringify(m.payload).includes(started!.id))).toHaveLength(0);
    expect(fx.graph.sent.filter((m) => JSON.stringify(m.payload).includes(imminent!.id))).toHaveLength(0);
  });

  it('one job scheduler for the whole fleet, whatever the number of workers', async () => {
    const queuePrefix = `{test-rem-${randomUUID()}}`;
    const bullRedis = testRedis({ maxRetriesPerRequest: null });
    const common = {
      redis: bullRedis,
      queuePrefix,
      keyPrefix: fx.prefix,
      clinic: fx.clinic,
      texts: es,
      logger,
      phoneNumberId: PN,
      intervalSeconds: 300,
      leadHours: 24,
      minNoticeMinutes: 120,
      templateName: 'recordatorio_cita',
      templateLanguage: 'es',
      timeZone: 'America/La_Paz',
      stalledIntervalMs: 30_000,
      sender: { send: async () => ({ messageId: 'x', skipped: false }), markRead: async () => undefined },
    };
    const fleet = await Promise.all([startReminders(common), startReminders(common), startReminders(common)]);
    try {
      const q = new Queue('reminders', { connection: fx.redis, prefix: queuePrefix });
      const schedulers = await q.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: 'reminder-tick', every: 300_000, name: JobName.ReminderTick });
      await q.close();
    } finally {
      await Promise.all(fleet.map((r) => r.close()));
      const q = new Queue('reminders', { connection: fx.redis, prefix: queuePrefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
      bullRedis.disconnect();
    }
  });
});
