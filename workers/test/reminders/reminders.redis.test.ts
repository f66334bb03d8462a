/**
 * Reminders (docs/reminders.md) at unit level, on real Redis: the tick's window and idempotency,
 * the send's re-checks and its interactive/template choice (exact Graph
 * JSON), the 131047 template retry, Spanish dates, and the dialog's replies
 * to a reminder (confirm, cancel with its confirmation, someone else's).
 */
import { randomUUID } from 'node:crypto';
import { createLogger, HandoffStore, JobName, sessionKeys, type OutboundMessage } from '@medcita/shared';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import { BuiltinClinic, type Appointment, type Slot } from '../../src/clinic/index.js';
import { DialogTurnHandler, es, IdentityGuard } from '../../src/dialog/index.js';
import { ClinicDateFormatter } from '../../src/dialog/index.js';
import { ReminderService, ReminderStore, startReminders, type SendReminderJob } from '../../src/reminders/index.js';
import { GraphClient } from '../../src/whatsapp/index.js';
import { connectTestRedis, deleteKeys, FIXED_NOW, testSeed } from '../clinic/clinic-test-kit.js';
import { scriptedNlu, Session, texts, type Harness } from '../dialog/dialog-kit.js';
import { testRedis } from '@medcita/testkit';

const PN = '106540352242922';
const TOKEN = 'reminder-test-token';
const HOUR = 3_600_000;
const logger = createLogger({ level: 'silent', service: 'test' });

describe('ClinicDateFormatter, as reminders say dates', () => {
  const f = new ClinicDateFormatter('America/La_Paz');
  it('writes dates the Spanish way in the clinic time zone', () => {
    // 11:00 on Wednesday 25 November in La Paz (UTC-4); the appointment is Thursday 08:30 local.
    const now = Date.parse('2026-11-25T15:00:00Z');
    expect(f.spoken('2026-11-26T12:30:00Z', now).full).toBe('mañana jueves 26 de noviembre a las 08:30');
    expect(f.spoken('2026-11-25T22:05:00Z', now).full).toBe('hoy miércoles 25 de noviembre a las 18:05');
    expect(f.spoken('2026-11-28T13:00:00Z', now)).toEqual({
      date: 'el sábado 28 de noviembre',
      time: '09:00',
      full: 'el sábado 28 de noviembre a las 09:00',
    });
    // 23:30 local on the 25th is already the 26th in UTC: the local calendar decides "mañana".
    expect(f.spoken('2026-11-27T03:30:00Z', now).date).toBe('mañana jueves 26 de noviembre');
    expect(f.spoken('2027-01-04T13:00:00Z', now).date).toBe('el lunes 4 de enero de 2027');
  });
});

describe('reminders', () => {
  const redis = connectTestRedis();
  let prefix: string;
  let clinic: BuiltinClinic;
  let graph: FakeGraphApi;
  let store: ReminderStore;
  let service: ReminderService;
  let queued: Map<string, SendReminderJob>;
  let now: number;
  const seed = testSeed(5);

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ accessToken: TOKEN });
  });
  afterAll(async () => {
    await graph.close();
    redis.disconnect();
  });

  beforeEach(() => {
    prefix = `test:{rem-${randomUUID()}}`;
    now = FIXED_NOW;
    graph.reset();
    clinic = new BuiltinClinic({ redis, seed, keyPrefix: prefix, timeZone: 'America/La_Paz', clock: () => now });
    store = new ReminderStore(redis, prefix);
    queued = new Map();
    const sender = new GraphClient({
      baseUrl: graph.url,
      version: 'v23.0',
      accessToken: TOKEN,
      timeoutMs: 1_000,
      redis,
      keyPrefix: prefix,
      limiter: { perSecond: 1000 },
      retry: { baseMs: 10, maxMs: 50 },
      logger,
    });
    service = new ReminderService(
      {
        clinic,
        sender,
        store,
        redis,
        texts: es,
        logger,
        queue: {
          add: async (_name, data, opts) => {
            if (opts.jobId.includes(':')) throw new Error('BullMQ: Custom Id cannot contain :');
            if (!queued.has(opts.jobId)) queued.set(opts.jobId, data);
          },
        },
      },
      {
        phoneNumberId: PN,
        leadMs: 24 * HOUR,
        intervalMs: 300_000,
        minNoticeMs: 2 * HOUR,
        templateName: 'recordatorio_cita',
        templateLanguage: 'es',
        timeZone: 'America/La_Paz',
        keyPrefix: prefix,
      },
    );
  });
  afterEach(() => deleteKeys(redis, prefix));

  /** Books the first free slots of `specialty` starting at or after `from` for patients 0..n-1. */
  async function book(n: number, from: number, specialty: Slot['specialty'] = 'cardiologia'): Promise<Appointment[]> {
    const page = await clinic.listFreeSlots({ specialty, from: new Date(from).toISOString(), page: 1, pageSize: 10 });
    const out: Appointment[] = [];
    for (let i = 0; i < n; i++) {
      const r = await clinic.book({
        slotId: page.slots[i]!.id,
        patientId: seed.patients[seed.patients.length - 5 + i]!.id,
        holderId: `h${i}`,
        idempotencyKey: randomUUID(),
      });
      if (!r.ok) throw new Error(r.reason);
      out.push(r.appointment);
    }
    return out;
  }
  const patient = (i: number) => seed.patients[seed.patients.length - 5 + i]!;

  it('a tick enqueues each active appointment of its window once, however often it runs', async () => {
    const [a, b, c] = await book(3, now + 24 * HOUR);
    await clinic.cancelAppointment({ appointmentId: c!.id, patientId: c!.patientId });
    const later = await book(1, now + 26 * HOUR, 'dermatologia');
    // A tick one minute before a's 24-hour mark: its window [t + 24 h, t + 24 h + 5 min + overlap) holds a.
    const t = Date.parse(a!.slot.startsAt) - 24 * HOUR - 60_000;
    const { from, to } = service.window(t);
    const inWindow = [a!, b!].filter((x) => Date.parse(x.slot.startsAt) >= from && Date.parse(x.slot.startsAt) < to);
    expect(inWindow.map((x) => x.id)).toContain(a!.id);
    await Promise.all([service.tick(t), service.tick(t), service.tick(t + 1000)]);
    expect([...queued.keys()].sort()).toEqual(inWindow.map((x) => `reminder-24h-${x.id}`).sort());
    expect([...queued.keys()]).not.toContain(`reminder-24h-${later[0]!.id}`);
    expect([...queued.keys()]).not.toContain(`reminder-24h-${c!.id}`);
    // Every tick looks at the whole band, from the minimum notice on: nothing between two windows is missed.
    const late = t + 300_000 + 120_000; // a tick two minutes late
    expect(service.window(late).from).toBe(late + 2 * HOUR);
  });

  const startOf = (a: Appointment | undefined) => Date.parse(a!.slot.startsAt);

  it('an appointment booked inside the lead time is reminded at the next tick, unless it starts within the minimum notice', async () => {
    const [tooSoon] = await book(1, now + 30 * HOUR, 'dermatologia');
    // Booked (or first seen) 90 minutes before it starts: too late for a reminder to help.
    now = startOf(tooSoon) - 90 * 60_000;
    await service.tick(now);
    expect([...queued.keys()]).not.toContain(`reminder-24h-${tooSoon!.id}`);

    // Booked this afternoon for tomorrow morning: 5 hours ahead, inside the 24-hour lead.
    const [soonish] = await book(1, now + 30 * HOUR);
    now = startOf(soonish) - 5 * HOUR;
    await service.tick(now);
    expect([...queued.keys()]).toEqual([`reminder-24h-${soonish!.id}`]);
    expect(await service.send(queued.get(`reminder-24h-${soonish!.id}`)!, now + 1_000)).toBe('sent');
    expect(graph.sent.filter((m) => JSON.stringify(m.payload).includes(soonish!.id))).toHaveLength(1);
  });

  it('switching reminders on covers the appointments already inside the window', async () => {
    // Booked while reminders were off: no tick ever ran (nothing in Redis about reminders).
    const booked = await book(4, now + 30 * HOUR);
    const starts = booked.map(startOf);
    now = Math.min(...starts) - 3 * HOUR;
    expect(Math.max(...starts)).toBeLessThan(now + 24 * HOUR);
    await service.tick(now);
    expect([...queued.keys()].sort()).toEqual(booked.map((a) => `reminder-24h-${a.id}`).sort());
    // A second tick adds nothing new.
    queued.clear();
    await service.tick(now + 300_000);
    expect([...queued.keys()]).toEqual([]);
  });

  it('a catch-up after downtime never reminds an appointment that has started or is about to', async () => {
    const [started] = await book(1, now + 30 * HOUR);
    const [imminent] = await book(1, startOf(started) + 30 * 60_000, 'dermatologia');
    const [later] = await book(1, startOf(imminent) + 3 * HOUR, 'odontologia');
    // Before the fleet went down, a tick had enqueued the first two.
    const jobs = [started!, imminent!].map((a): SendReminderJob => ({ kind: '24h', appointmentId: a.id, startsAt: a.slot.startsAt }));
    // Back up after the first one started and ten minutes before the second.
    const back = startOf(imminent) - 10 * 60_000;
    expect(back).toBeGreaterThan(startOf(started));
    expect(startOf(later)).toBeLessThan(back + 24 * HOUR);
    now = back;
    await service.tick(back);
    expect([...queued.keys()]).toEqual([`reminder-24h-${later!.id}`]);
    expect(await service.send(jobs[0]!, back)).toBe('past');
    expect(await service.send(jobs[1]!, back)).toBe('too_soon');
    expect(await service.send(queued.get(`reminder-24h-${later!.id}`)!, back)).toBe('sent');
    expect(graph.sent.filter((m) => JSON.stringify(m.payload).includes(started!.id))).toHaveLength(0);
    expect(graph.sent.filter((m) => JSON.stringify(m.payload).includes(imminent!.id))).toHaveLength(0);
  });

  it('outside the 24-hour window sends the template with the exact Graph JSON, once', async () => {
    const [a] = await book(1, now + 24 * HOUR + 60_000);
    const job: SendReminderJob = { kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt };
    expect(await service.send(job, now)).toBe('sent');
    expect(await service.send(job, now)).toBe('already_sent');
    expect(graph.sent).toHaveLength(1);
    const when = new ClinicDateFormatter('America/La_Paz').spoken(a!.slot.startsAt, now);
    expect(when.date).toMatch(/^mañana martes 5 de marzo$/);
    expect(graph.sent[0]!.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: patient(0).phone,
      biz_opaque_callback_data: expect.stringMatching(/^reminder:24h:/),
      type: 'template',
      template: {
        name: 'recordatorio_cita',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: patient(0).firstName.split(' ')[0] },
              { type: 'text', text: when.date },
              { type: 'text', text: when.time },
              { type: 'text', text: a!.slot.doctorName },
              { type: 'text', text: a!.slot.clinicName },
            ],
          },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `reminder:confirm:${a!.id}` }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: `reminder:cancel:${a!.id}` }] },
        ],
      },
    });
  });

  it('inside the window sends an interactive message; a 131047 failure leads to one template retry', async () => {
    const [a] = await book(1, now + 24 * HOUR);
    const sessionKey = `${PN}:${patient(0).phone}`;
    await redis.hset(sessionKeys(prefix, sessionKey).state, 'updatedAt', String(now - 3 * HOUR));
    const job: SendReminderJob = { kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt };
    expect(await service.send(job, now)).toBe('sent');
    const first = graph.sent[0]!;
    expect(first.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        action: {
          buttons: [
            { type: 'reply', reply: { id: `reminder:confirm:${a!.id}`, title: 'Confirmar' } },
            { type: 'reply', reply: { id: `reminder:cancel:${a!.id}`, title: 'Cancelar' } },
          ],
        },
      },
    });
    expect((first.payload as any).interactive.body.text).toMatch(/Cardiología mañana martes 5 de marzo a las \d\d:\d\d/);

    // Meta reports the free-form message failed: the window had closed after all.
    expect(await service.onFailedStatus(first.messageId, ['131047'])).toBe('retry');
    expect(await service.onFailedStatus(first.messageId, ['131047'])).toBe('retry');
    const retries = [...queued.entries()].filter(([id]) => id.startsWith('reminder-24h-retry-'));
    expect(retries).toHaveLength(1);
    expect(await service.send(retries[0]![1], now + 5_000)).toBe('sent');
    expect(await service.send(retries[0]![1], now + 6_000)).toBe('already_sent');
    expect(graph.sent.map((s) => (s.payload as any).type)).toEqual(['interactive', 'template']);
    // A failure of the template itself is counted, never retried again.
    expect(await service.onFailedStatus(graph.sent[1]!.messageId, ['131026'])).toBe('counted');
    expect(await service.onFailedStatus('wamid.not-a-reminder', ['131047'])).toBe('not_a_reminder');
  });

  it('never reminds a cancelled or already started appointment', async () => {
    const [a, b] = await book(2, now + 24 * HOUR);
    await clinic.cancelAppointment({ appointmentId: a!.id, patientId: a!.patientId });
    expect(await service.send({ kind: '24h', appointmentId: a!.id, startsAt: a!.slot.startsAt }, now)).toBe('inactive');
    expect(await service.send({ kind: '24h', appointmentId: b!.id, startsAt: b!.slot.startsAt }, Date.parse(b!.slot.startsAt) + 1)).toBe(
      'past',
    );
    expect(graph.sent).toHaveLength(0);
  });

  it('one job scheduler for the whole fleet, whatever the number of workers', async () => {
    const queuePrefix = `{test-rem-${randomUUID()}}`;
    const bullRedis = testRedis({ maxRetriesPerRequest: null });
    const common = {
      redis: bullRedis,
      queuePrefix,
      keyPrefix: prefix,
      clinic,
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
      const q = new Queue('reminders', { connection: redis, prefix: queuePrefix });
      const schedulers = await q.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: 'reminder-tick', every: 300_000, name: JobName.ReminderTick });
      await q.close();
    } finally {
      await Promise.all(fleet.map((r) => r.close()));
      const q = new Queue('reminders', { connection: redis, prefix: queuePrefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
      bullRedis.disconnect();
    }
  });

  describe('replies to a reminder', () => {
    let harness: Harness;
    let a: Appointment;
    beforeEach(async () => {
      [a] = (await book(1, now + 24 * HOUR)) as [Appointment];
      const handler = new DialogTurnHandler({
        nlu: scriptedNlu(),
        clinic,
        handoff: new HandoffStore(redis, { keyPrefix: prefix, timeoutSeconds: 3600 }),
        identity: new IdentityGuard(redis, {
          keyPrefix: prefix,
          maxFailures: 3,
          windowSeconds: 3600,
          digestKey: 'reminders-test-digest-key',
        }),
        texts: es,
        logger,
        options: { sessionTtlSeconds: 1800, holdSeconds: 300, timeZone: 'America/La_Paz' },
        reminders: store,
      });
      harness = { handler } as Harness;
      expect(await service.send({ kind: '24h', appointmentId: a.id, startsAt: a.slot.startsAt }, now)).toBe('sent');
    });

    it('"Confirmar" confirms the appointment in the clinic', async () => {
      const chat = new Session(harness, patient(0).phone);
      const out = texts(await chat.send({ replyId: `reminder:confirm:${a.id}`, title: 'Confirmar' }));
      expect(out).toMatch(/quedó confirmada/);
      const [mine] = await clinic.listAppointments(a.patientId);
      expect(mine!.status).toBe('confirmed');
    });

    it('"Cancelar" asks first, then cancels and frees the slot, even after the session expired', async () => {
      const chat = new Session(harness, patient(0).phone);
      await chat.send('hola');
      chat.now += 3 * HOUR; // long past the 30-minute session
      const ask = await chat.send({ replyId: `reminder:cancel:${a.id}`, title: 'Cancelar' });
      expect(texts(ask)).not.toMatch(/expiró/);
      const buttons = ask.find((r): r is Extract<OutboundMessage, { kind: 'buttons' }> => r.kind === 'buttons')!;
      expect(buttons.body).toMatch(/¿Cancelo tu cita de Cardiología/);
      expect(texts(await chat.send({ replyId: 'affirm', title: 'Sí, cancelar' }))).toMatch(/quedó cancelada/);
      expect(await clinic.listAppointments(a.patientId)).toEqual([]);
      const free = await clinic.listFreeSlots({ specialty: 'cardiologia', from: a.slot.startsAt, page: 1, pageSize: 10 });
      expect(free.slots.map((s) => s.id)).toContain(a.slot.id);
    });

    it('a typed "confirmo" right after a reminder confirms it', async () => {
      const chat = new Session(harness, patient(0).phone);
      expect(texts(await chat.send('confirmo'))).toMatch(/quedó confirmada/);
    });

    it("someone else's appointment is refused politely and left alone", async () => {
      const other = new Session(harness, patient(1).phone);
      const out = texts(await other.send({ replyId: `reminder:cancel:${a.id}`, title: 'Cancelar' }));
      expect(out).toMatch(/No encontré esa cita entre las tuyas/);
      expect(out).not.toMatch(/Cardiología|Cancelo/);
      expect(texts(await other.send({ replyId: `reminder:confirm:${a.id}`, title: 'Confirmar' }))).toMatch(/No encontré esa cita/);
      const [still] = await clinic.listAppointments(a.patientId);
      expect(still!.status).toBe('booked');
    });
  });
});
