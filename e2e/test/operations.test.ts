/**
 * docs/operations.md on the real pipeline: per-session rate limit, worker metrics that
 * move, PII-free logs, the audit command, SIGTERM mid-turn, Redis restart.
 */
import { LogEvent } from '@medcita/shared';
import { content, inbound, simUser, webhookBody } from '@medcita/testkit/simulator';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { formatAudit, sessionAudit } from '../../tools/audit/session-audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { metricValue } from '../support/prom.js';
import { TestStack, waitUntil } from '../support/test-stack.js';
import { REPO_ROOT } from '@medcita/testkit';

const run = promisify(execFile);
const textOf = (r: { payload: Record<string, unknown> }) => (r.payload as { text?: { body?: string } }).text?.body ?? '';

describe('operating the pipeline', () => {
  let stack: TestStack;

  afterEach(async () => {
    await stack?.stop();
  });

  it("defers a chatty session's excess, says so once, answers everything in order, and keeps logs free of phone numbers", async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo', SESSION_RATE_LIMIT_PER_MINUTE: '5' } });
    const user = simUser(4242);
    const burst = Array.from({ length: 9 }, (_, i) => inbound(user, content.text(`rl-${i}`)));
    expect((await stack.webhook.post(webhookBody(burst))).status).toBe(200);
    await waitUntil(() => stack.repliesTo(user.waId!).some((r) => textOf(r).includes('los respondo en orden')), 20_000, 'the notice');
    // More in the same minute: it waits behind the others, no second notice.
    expect((await stack.webhook.post(webhookBody([inbound(user, content.text('rl-9'))]))).status).toBe(200);
    await waitUntil(
      async () => metricValue(await stack.workers[0]!.metrics(), 'medcita_rate_limited_messages_total') >= 4,
      20_000,
      'the counter',
    );
    // The window reopens after a minute: the waiting messages are answered then.
    await waitUntil(() => stack.repliesTo(user.waId!).flatMap(echoedTexts).includes('rl-9'), 90_000, 'the deferred messages answered');

    // A reply leaves before its turn commits and reports: the metrics below are read once the last turn has.
    await waitUntil(
      async () => metricValue(await stack.workers[0]!.metrics(), 'medcita_ack_to_reply_seconds_count') >= 2,
      10_000,
      'the deferred turn to report',
    );

    const replies = stack.repliesTo(user.waId!);
    expect(replies.flatMap(echoedTexts)).toEqual(Array.from({ length: 10 }, (_, i) => `rl-${i}`));
    expect(replies.filter((r) => textOf(r).includes('los respondo en orden'))).toHaveLength(1);
    expect(replies.some((r) => textOf(r).includes('no los alcancé a leer'))).toBe(false);

    const metrics = await stack.workers[0]!.metrics();
    expect(metricValue(metrics, 'medcita_rate_limited_messages_total')).toBeGreaterThanOrEqual(4);
    expect(metricValue(metrics, 'medcita_rate_discarded_messages_total')).toBe(0);
    expect(metricValue(metrics, 'medcita_turn_duration_seconds_count{outcome="rate_limited"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'medcita_ack_to_reply_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'medcita_graph_requests_total{endpoint="messages",status="200",code=""}')).toBe(replies.length);
    expect(metrics).not.toContain(user.waId!);

    const logs = JSON.stringify(stack.workers[0]!.logs);
    expect(logs).toContain(LogEvent.TurnDone);
    // One id chain follows a message from webhook to reply.
    const done = stack.workers[0]!.logs.find((l) => l.msg === LogEvent.TurnDone)!;
    expect(done).toEqual(
      expect.objectContaining({
        requestId: expect.any(String),
        jobId: expect.any(String),
        session: expect.any(String),
        turnId: expect.any(String),
      }),
    );
    expect(logs).not.toContain(user.waId!);
  }, 150_000);

  it("shows a user's turns to support staff with npm run audit", async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo' } });
    const user = simUser(4343);
    const other = simUser(4344);
    for (const text of ['uno', 'dos']) {
      await stack.webhook.post(webhookBody([inbound(user, content.text(text))]));
      await stack.graph.waitForSent((r) => r.to === user.waId && textOf(r).includes(text), 10_000);
    }
    await stack.webhook.post(webhookBody([inbound(other, content.text('tres'))]));
    await stack.graph.waitForSent((r) => r.to === other.waId, 10_000);

    const entries = await sessionAudit(stack.redis, 'mc', user.waId!);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.fields.outcome === 'ok' && e.fields.handler === 'echo')).toBe(true);

    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', 'tools/audit/main.ts', user.waId!], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDIS_URL: stack.redisServer.url },
    });
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stdout).toBe(`${formatAudit(entries)}\n`);
    expect(stdout).not.toContain(user.waId!);
  });

  it('finishes the running turn on SIGTERM and loses nothing', async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo' } });
    stack.graph.setLatency(1_500, { requests: 2 }); // the typing call and the reply of the first turn
    const user = simUser(4545);
    const turnStarted = new Promise((r) => stack.graph.once('request', r));
    await stack.webhook.post(webhookBody([inbound(user, content.text('sigterm-1'))]));
    const worker = stack.workers[0]!;
    await turnStarted; // the turn is now waiting on the slow Graph API
    expect(stack.repliesTo(user.waId!)).toHaveLength(0);
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['sigterm-1']);
    const order = worker.logs.map((l) => l.msg);
    expect(order.indexOf(LogEvent.TurnDone)).toBeGreaterThan(order.findIndex((m) => String(m).startsWith('shutting down')));
    expect(await stack.redis.llen(`mc:{106540352242922:${user.waId}}:processing`)).toBe(0);

    // A message that arrives meanwhile waits for the next worker.
    await stack.webhook.post(webhookBody([inbound(user, content.text('sigterm-2'))]));
    await stack.addWorker({ TURN_HANDLER: 'echo' });
    await waitUntil(() => stack.repliesTo(user.waId!).flatMap(echoedTexts).length === 2, 15_000, 'the next message');
  });

  it('keeps working across a Redis restart without restarting the worker', async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo' } });
    const user = simUser(4646);
    await stack.webhook.post(webhookBody([inbound(user, content.text('antes'))]));
    await stack.graph.waitForSent(1, 10_000);
    const readyz = () => fetch(`http://127.0.0.1:${stack.workers[0]!.opsPort}/readyz`).then((r) => r.status);
    expect(await readyz()).toBe(200);
    await stack.redisServer.kill();
    await waitUntil(async () => (await readyz()) === 503, 10_000, 'worker not ready while Redis is down');
    await stack.redisServer.restart();
    await waitUntil(
      async () => (await stack.webhook.post(webhookBody([inbound(user, content.text('despues'))]))).status === 200,
      15_000,
      'ingress back',
    );
    await waitUntil(() => stack.repliesTo(user.waId!).flatMap(echoedTexts).includes('despues'), 20_000, 'the worker to answer again');
    expect(stack.workers[0]!.alive).toBe(true);
  });
});
