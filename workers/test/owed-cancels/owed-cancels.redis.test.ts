/**
 * A reschedule books the new appointment, then cancels the old one. When the
 * clinic does not answer that cancel, the patient's later turns retry it,
 * and a background job on the `owed-cancels` queue retries it too, so a
 * patient who never writes again does not keep both (docs/dialog.md,
 * "Booking outcome"). Real Redis, real BullMQ, the builtin clinic.
 */
import { JobName, QueueName } from '@medcita/shared';
import { captureLogger, TEST_REDIS_URL, waitUntil } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { startOwedCancels, type RunningOwedCancels } from '../../src/owed-cancels/index.js';
import { faulty, openDialog, redis, reschedule, Session, texts, timeout, type Harness } from '../dialog/dialog-kit.js';

const BOOKED = /quedó agendada ✅/;
const OWED = /la cancelo en cuanto el sistema/;

// A BullMQ worker's connection must retry forever, as connectRedis's does.
const bullRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  await redis.quit();
  bullRedis.disconnect();
});

describe('owed cancels', () => {
  let h: Harness;
  let running: RunningOwedCancels | undefined;
  const outcomes: string[] = [];
  const { logger } = captureLogger({ service: 'worker' });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    outcomes.length = 0;
    await h.cleanup();
  });

  const owedCancels = (firstRetryMs: number) => (clinic: Parameters<typeof startOwedCancels>[0]['clinic'], prefix: string) => {
    running = startOwedCancels({
      redis: bullRedis,
      queuePrefix: prefix,
      clinic,
      logger,
      firstRetryMs,
      hooks: { settled: (o) => outcomes.push(o), gaveUp: () => outcomes.push('gave_up') },
      stalledIntervalMs: 30_000,
      lockDurationMs: 30_000,
    });
    return running.port;
  };

  it('cancels the replaced appointment in the background once the clinic answers, though the patient never writes again', async () => {
    let down = true;
    h = await openDialog({
      clinic: faulty({ cancelAppointment: (call) => (down ? Promise.resolve(timeout()) : call()) }),
      owedCancels: owedCancels(200),
    });
    const s = new Session(h);
    const { oldId, reply } = await reschedule(h, s);
    expect(reply).toMatch(BOOKED);
    expect(reply).toMatch(OWED);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(2);

    // The first background tries meet the clinic still down; then it answers.
    await waitUntil(async () => (await running!.queue.getJobCounts('delayed', 'wait', 'active')).delayed === 1, 5_000, 'a queued cancel');
    down = false;
    await waitUntil(async () => (await h.clinic.listAppointments('pac-001')).length === 1, 15_000, 'the old appointment cancelled');
    const [left] = await h.clinic.listAppointments('pac-001');
    expect(left!.id).not.toBe(oldId);
    await waitUntil(async () => outcomes.length > 0, 5_000, 'the job settled');
    expect(outcomes).toEqual(['cancelled']);

    // When the patient does write again, the turn's own retry finds the cancel done (it is idempotent), says so and clears the debt.
    const next = texts(await s.send('gracias'));
    expect(next).toMatch(/ya cancelé tu cita anterior/);
    expect(next).not.toMatch(/No puedo consultar/);
    expect(JSON.parse(s.state.dialog!)).not.toHaveProperty('pendingCancels');
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('queues one job per replaced appointment, however many times a retried turn owes it', async () => {
    h = await openDialog({ owedCancels: owedCancels(60_000) });
    const port = running!.port;
    await port.owe({ appointmentId: 'apt-1', patientId: 'pac-001' });
    await port.owe({ appointmentId: 'apt-1', patientId: 'pac-001' });
    await port.owe({ appointmentId: 'apt-2', patientId: 'pac-001' });
    const jobs = await running!.queue.getJobs(['delayed']);
    expect(jobs.map((j) => j.name)).toEqual([JobName.OwedCancel, JobName.OwedCancel]);
    expect(jobs.map((j) => j.data.appointmentId).sort()).toEqual(['apt-1', 'apt-2']);
    expect(running!.queue.name).toBe(QueueName.OwedCancels);
  });

  it('still books and owes the cancel to the next turn when the job cannot be queued', async () => {
    let down = true;
    h = await openDialog({
      clinic: faulty({ cancelAppointment: (call) => (down ? Promise.resolve(timeout()) : call()) }),
      owedCancels: () => ({ owe: () => Promise.reject(new Error('Connection is closed.')) }),
    });
    const s = new Session(h);
    const { reply } = await reschedule(h, s);
    expect(reply).toMatch(BOOKED);
    expect(reply).toMatch(OWED);
    expect(JSON.parse(s.state.dialog!).pendingCancels).toHaveLength(1);
    down = false;
    expect(texts(await s.send('gracias'))).toMatch(/ya cancelé tu cita anterior/);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });
});
