/**
 * Health-data rights end to end (docs/operations.md, "Patient data
 * requests"): two patients talk to the whole pipeline (a booking, a handoff
 * with its transcript, a failed delivery status, a reminder), then
 * `npm run patient:export` and `npm run patient:erase` run as real processes
 * against the stack's private Redis. After erasure no key, field, list item,
 * set member or stream entry anywhere in that Redis names the first patient
 * (phone, document, first name, session pseudonym); the second patient's
 * data is all still there.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clinicKeys, DEFAULT_CLINIC_KEY_PREFIX, fleetKeys, JobName, QueueName, sessionHash, sessionKeys } from '@medcita/shared';
import { REPO_ROOT } from '@medcita/testkit';
import { DEFAULT_BUSINESS, simUser, statusUpdate, webhookBody } from '@medcita/testkit/simulator';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BuiltinClinic, loadSeedFile } from '../../workers/src/clinic/index.js';
import { Conversation, dialogWorkerEnv, lastButtons, lastList, seedWithPatients, textOf } from '../support/conversation.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const run = promisify(execFile);
const HOUR = 3_600_000;
const [erased, kept] = [simUser(9300), simUser(9301)];
const seed = seedWithPatients([erased.waId!, kept.waId!]);
const [erasedPatient, keptPatient] = seed.patients as [(typeof seed.patients)[0], (typeof seed.patients)[0]];
const sessionOf = (waId: string) => `${DEFAULT_BUSINESS.phoneNumberId}:${waId}`;

interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every value in the whole Redis as `key<TAB>value` lines (one line with an empty value per key). */
async function everything(redis: Redis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      // Each line names its key, so a failure says where the person was left.
      const add = (...values: string[]) => out.push(...values.map((v) => `${key}\t${v}`));
      add('');
      const type = await redis.type(key);
      if (type === 'string') add((await redis.get(key)) ?? '');
      else if (type === 'hash') add(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === 'list') add(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') add(...(await redis.smembers(key)));
      else if (type === 'zset') add(...(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') for (const [id, fields] of await redis.xrange(key, '-', '+')) add(id, ...fields);
    }
  } while (cursor !== '0');
  return out;
}

/** `needle` as a whole token: not a piece of a longer number or word (timestamps hold many digit runs). */
function holds(lines: string[], needle: string): string[] {
  const re = new RegExp(`(?<![0-9A-Za-z])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`);
  return lines.filter((l) => re.test(l));
}

describe('patient export and erasure', () => {
  let stack: TestStack;
  let clinic: BuiltinClinic;
  let ticks: Queue;

  function tool(command: 'export' | 'erase', ...args: string[]): Promise<ToolRun> {
    return run('node', ['--conditions=source', '--import', 'tsx', 'tools/patient/main.ts', command, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDIS_URL: stack.redisServer.url, LOG_LEVEL: 'warn' },
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code ?? -1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );
  }

  async function book(chat: Conversation, document: string): Promise<void> {
    await chat.say('hola');
    await chat.say(document);
    const slots = lastList(await chat.say('quiero una cita de cardiología'));
    const confirm = lastButtons(await chat.tap(slots.rows[0]!, 'list'));
    expect(textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó agendada/);
  }

  beforeAll(async () => {
    stack = await TestStack.start({
      workers: 1,
      workerEnv: {
        ...dialogWorkerEnv(seed.file),
        REMINDERS_ENABLED: 'true',
        REMINDER_PHONE_NUMBER_ID: DEFAULT_BUSINESS.phoneNumberId,
        REMINDER_TEMPLATE_NAME: 'recordatorio_cita_test',
        REMINDER_TEMPLATE_LANGUAGE: 'es',
        REMINDER_INTERVAL_SECONDS: String(3 * 86_400),
      },
    });
    clinic = new BuiltinClinic({
      redis: stack.redis,
      seed: loadSeedFile(seed.file),
      keyPrefix: DEFAULT_CLINIC_KEY_PREFIX,
      timeZone: 'America/La_Paz',
    });
    ticks = new Queue(QueueName.Reminders, { connection: stack.redis, prefix: '{medcita}' });
    await waitUntil(async () => (await ticks.getCompletedCount()) >= 1, 15_000, "the schedule's first tick");

    // Both patients book in conversation and have an appointment a day ahead that gets a reminder.
    const [a, b] = [new Conversation(stack, erased), new Conversation(stack, kept)];
    await book(a, erasedPatient.documentNumber);
    await book(b, keptPatient.documentNumber);
    const page = await clinic.listFreeSlots({
      specialty: 'cardiologia',
      from: new Date(Date.now() + 24 * HOUR + 10 * 60_000).toISOString(),
      page: 1,
      pageSize: 10,
    });
    for (const [i, p] of [erasedPatient, keptPatient].entries()) {
      const r = await clinic.book({ slotId: page.slots[i]!.id, patientId: p.id, holderId: `e2e-${i}`, idempotencyKey: `rights-${i}` });
      if (!r.ok) throw new Error(`booking failed: ${r.reason}`);
    }
    await ticks.add(JobName.ReminderTick, {});
    const isReminder = (to: string) => (s: { to: string; payload: unknown }) =>
      s.to === to && JSON.stringify(s.payload).includes('reminder:confirm:');
    await waitUntil(
      () => stack.graph.sent.some(isReminder(erased.waId!)) && stack.graph.sent.some(isReminder(kept.waId!)),
      30_000,
      'reminders',
    );

    // The first patient is handed to a person (a transcript starts) and one reply to them fails.
    expect(textOf(await a.say('quiero hablar con una persona'))).toMatch(/persona del equipo/);
    await a.say('sigo esperando, gracias');
    expect(await stack.redis.llen(sessionKeys('mc', a.sessionKey).transcript)).toBeGreaterThan(0);
    const reply = stack.repliesTo(erased.waId!)[0]!;
    const failures = fleetKeys('mc').failedStatuses;
    expect((await stack.webhook.post(webhookBody([statusUpdate(erased, reply.messageId, 'failed', { errorCode: 131026 })]))).status).toBe(
      200,
    );
    expect((await stack.webhook.post(webhookBody([statusUpdate(kept, stack.repliesTo(kept.waId!)[0]!.messageId, 'failed')]))).status).toBe(
      200,
    );
    await waitUntil(async () => (await stack.redis.xlen(failures)) >= 2, 10_000, 'failed statuses recorded');
  }, 240_000);

  afterAll(async () => {
    await ticks?.close();
    await stack?.stop();
  });

  it('refuses bad input with exit code 2 and says when nothing is held', async () => {
    const missing = await tool('erase');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing argument/);
    const malformed = await tool('erase', '59-abc!');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/neither a wa_id .* nor a document number/);
    const unknown = await tool('erase', '59899999999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nothing is held about 59899999999; nothing erased/);
  }, 60_000);

  it("exports the person's data, found by document, and nobody else's", async () => {
    const { code, stdout } = await tool('export', erasedPatient.documentNumber);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as {
      person: { waIds: string[]; pseudonyms: string[] };
      keys: Record<string, unknown[]>;
      jobs: unknown[];
    };
    expect(doc.person.waIds).toEqual([erased.waId]);
    expect(doc.person.pseudonyms).toContain(sessionHash(sessionOf(erased.waId!)));
    for (const family of [
      '<p>:{<session>}:state',
      '<p>:{<session>}:history',
      '<p>:{<session>}:transcript, :reply-status',
      '<p>:audit',
      '<p>:statuses:failed',
      '<p>:{<session>}:reminder',
      '<p>:reminders:appt:<appointment>',
      '<p>:{handoff}:index, :session:<session>',
      '<c>:patients, :patients-by-document, :patients-by-phone',
      '<c>:appointments, :patient-appointments:<id>, :appointments-by-start, :booked',
    ]) {
      expect({ family, found: (doc.keys[family] ?? []).length > 0 }).toEqual({ family, found: true });
    }
    expect(stdout).toContain('sigo esperando, gracias');
    expect(stdout).toContain(erasedPatient.firstName);
    for (const other of [kept.waId!, keptPatient.documentNumber, keptPatient.firstName, sessionHash(sessionOf(kept.waId!))]) {
      expect(holds(stdout.split('\n'), other)).toEqual([]);
    }
  }, 60_000);

  it('erases everything about the person, records the erasure without them, and leaves the other patient intact', async () => {
    const keptBefore = {
      state: await stack.redis.hgetall(sessionKeys('mc', sessionOf(kept.waId!)).state),
      audit: (await stack.redis.xrange(fleetKeys('mc').audit, '-', '+')).filter(([, f]) => f.includes(sessionHash(sessionOf(kept.waId!))))
        .length,
      appointments: await clinic.listAppointments(keptPatient.id),
    };
    expect(keptBefore.audit).toBeGreaterThan(0);
    expect(keptBefore.appointments).toHaveLength(2);

    const { code, stdout, stderr } = await tool('erase', erased.waId!);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ erased: erased.waId, patients: 1, appointments: 2 });

    const lines = await everything(stack.redis);
    const ck = clinicKeys(DEFAULT_CLINIC_KEY_PREFIX);
    for (const needle of [
      erased.waId!,
      erasedPatient.documentNumber,
      erasedPatient.firstName,
      erased.name!,
      sessionHash(sessionOf(erased.waId!)),
    ]) {
      expect({ needle, found: holds(lines, needle) }).toEqual({ needle, found: [] });
    }

    // The erasure is on record, with counts and a time only.
    const [[, record]] = (await stack.redis.xrange(fleetKeys('mc').erasures, '-', '+')) as [[string, string[]]];
    expect(record).toEqual(expect.arrayContaining(['at', 'keysDeleted', 'appointments', '2']));

    // The other patient: conversation, audit, clinic record, appointments, reminder, failed status.
    expect(await stack.redis.hgetall(sessionKeys('mc', sessionOf(kept.waId!)).state)).toEqual(keptBefore.state);
    const audit = await stack.redis.xrange(fleetKeys('mc').audit, '-', '+');
    expect(audit.filter(([, f]) => f.includes(sessionHash(sessionOf(kept.waId!))))).toHaveLength(keptBefore.audit);
    expect(await clinic.findPatientByDocument(keptPatient.documentNumber)).toMatchObject({ id: keptPatient.id });
    expect(await clinic.listAppointments(keptPatient.id)).toEqual(keptBefore.appointments);
    expect(await stack.redis.get(sessionKeys('mc', sessionOf(kept.waId!)).reminder)).toBeTruthy();
    expect((await stack.redis.xrange(fleetKeys('mc').failedStatuses, '-', '+')).map(([, f]) => f[f.indexOf('recipient') + 1])).toEqual([
      kept.waId,
    ]);

    // Seeding again (a new day, a restarted worker) does not bring the erased patient back.
    await clinic.seed();
    expect(await clinic.findPatientByDocument(erasedPatient.documentNumber)).toBeNull();
    expect(await stack.redis.sismember(ck.erasedPatients, erasedPatient.id)).toBe(1);

    // The bot still works for the other patient.
    expect(textOf(await new Conversation(stack, kept).say('hola'))).not.toBe('');
  }, 120_000);
});
