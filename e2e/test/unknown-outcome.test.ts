/**
 * A worker SIGKILLed while its reply is on the wire: did WhatsApp get it?
 * The worker never learns. The reply carries its idempotency key as
 * biz_opaque_callback_data; WhatsApp's status webhook echoes it and the
 * ingress settles the send. A retried turn sends nothing when a status came
 * (no duplicate) and resends once when none came within the grace (no loss).
 */
import { LogEvent } from '@medcita/shared';
import { content, inbound, simUser, webhookBody } from '@medcita/testkit/simulator';
import { readAudit, turnsPerWamid } from '../support/audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const ENV = {
  TURN_HANDLER: 'echo',
  SESSION_LOCK_TTL_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
  GRAPH_TIMEOUT_MS: '2000',
  GRAPH_STATUS_WAIT_MS: '2000',
};

describe('replies whose worker died mid-request', () => {
  let stack: TestStack;
  afterEach(async () => stack?.stop());

  async function killDuringSend(user: ReturnType<typeof simUser>, acceptFirst: boolean): Promise<string> {
    stack = await TestStack.start({ workers: 1, workerEnv: ENV });
    stack.graph.setLatency(20_000, { endpoint: 'messages', requests: 1, acceptFirst });
    const onTheWire = new Promise<void>((resolve) =>
      stack.graph.on('request', (r: { endpoint: string; to?: string }) => r.endpoint === 'messages' && r.to === user.waId && resolve()),
    );
    const item = inbound(user, content.text('hola'));
    expect((await stack.webhook.post(webhookBody([item]))).status).toBe(200);
    await onTheWire;
    await stack.workers[0]!.stop('SIGKILL');
    await stack.addWorker();
    await waitUntil(async () => turnsPerWamid(await readAudit(stack.redis)).has(item.message.id), 30_000, 'the turn to be redone');
    return item.message.id;
  }

  it('does not send it again when WhatsApp accepted it (its status settled the send)', async () => {
    const user = simUser(1);
    await killDuringSend(user, true);
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['hola']);
    const rescuer = stack.workers[1]!;
    expect(rescuer.logs.some((l) => String(l.msg).includes('unknown outcome'))).toBe(false);
  });

  it('resends it once when it never reached WhatsApp and no status came', async () => {
    const user = simUser(2);
    await killDuringSend(user, false);
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['hola']);
    const rescuer = stack.workers[1]!;
    expect(rescuer.logs.some((l) => l.msg === LogEvent.UnknownOutcomeResend)).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${rescuer.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/^medcita_graph_unknown_outcome_resends_total 1$/m);
  });
});

describe('a reply WhatsApp accepted but answered after the client timeout', () => {
  let stack: TestStack;
  afterEach(async () => stack?.stop());

  it('is not sent twice: the worker waits for its late status instead of resending', async () => {
    // Grace = timeout + status wait = 12 s, far beyond the status; a resend ~250 ms after the timeout comes before it.
    stack = await TestStack.start({ workers: 1, workerEnv: { ...ENV, GRAPH_STATUS_WAIT_MS: '10000' } });
    stack.graph.answerLateNext(1, { answerAfterMs: 30_000, statusAfterMs: 3_500 });
    const user = simUser(3);
    const item = inbound(user, content.text('hola'));
    expect((await stack.webhook.post(webhookBody([item]))).status).toBe(200);
    await waitUntil(async () => turnsPerWamid(await readAudit(stack.redis)).has(item.message.id), 30_000, 'the turn to commit');
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['hola']);
    expect(stack.workers[0]!.logs.some((l) => l.msg === LogEvent.UnknownOutcomeResend)).toBe(false);
  });
});
