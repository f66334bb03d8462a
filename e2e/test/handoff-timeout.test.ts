/**
 * A handoff nobody takes ends after HANDOFF_TIMEOUT_SECONDS: the patient is
 * told, the bot resumes, and the audit records it (docs/operations.md,
 * "Operator inbox").
 */
import { waitUntil } from '@medcita/testkit';
import { simUser } from '@medcita/testkit/simulator';
import { Conversation, dialogWorkerEnv, seedWithPatients, textOf } from '../support/conversation.js';
import { TestStack } from '../support/test-stack.js';

const patient = simUser(6200);
const seed = seedWithPatients([patient.waId!]);

describe('handoff timeout', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Long enough that the silent turn below ends before the timeout even on a loaded machine (2 s failed once at load 13).
    stack = await TestStack.start({ workers: 1, workerEnv: { ...dialogWorkerEnv(seed.file), HANDOFF_TIMEOUT_SECONDS: '10' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('tells the patient nobody could answer and lets the bot answer again', async () => {
    const chat = new Conversation(stack, patient);
    await chat.say(seed.patients[0]!.documentNumber);
    expect(textOf(await chat.say('quiero hablar con una persona'))).toMatch(/persona del equipo/);
    expect(textOf(await chat.say('hola?'))).toBe(''); // silent while handed off

    const notice = await stack.graph.waitForSent(
      (s) => s.to === patient.waId && /nadie del equipo pudo atenderte/.test(JSON.stringify(s.payload)),
      60_000,
    );
    expect(notice).toBeDefined();
    expect(await stack.redis.exists(`mc:{handoff}:session:${chat.sessionKey}`)).toBe(0);
    // The notice goes out before the timeout is audited: wait for the record, do not race it.
    await waitUntil(
      async () => (await stack.redis.xrange('mc:audit', '-', '+')).some(([, f]) => f.includes('operator') && f.includes('timeout')),
      30_000,
      'the handoff timeout in the audit stream',
    );

    expect(textOf(await chat.say('hola'))).toMatch(/de nuevo/);
  }, 120_000);
});
