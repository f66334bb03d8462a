/**
 * Invariants 1, 2 and 4 of docs/product.md: crashes and outages lose nothing and duplicate nothing.
 * - a worker SIGKILLed mid-turns: the others finish its sessions, once each;
 * - Redis down: the ingress answers 503; back up: Meta's redeliveries are handled once;
 * - Graph API answering 429/500 a few times: the reply still goes out exactly once.
 */
import { LogEvent } from '@medcita/shared';
import { content, DEFAULT_BUSINESS, inbound, simUser, webhookBody, type InboundItem } from '@medcita/testkit/simulator';
import { readAudit, turnsPerWamid } from '../support/audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { postAll } from '../support/post-all.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const FAST_RECOVERY = {
  SESSION_LOCK_TTL_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
  // A reply whose request died with its worker is resent 12 s after that request started, unless its status
  // arrived. The grace must outlast the status webhook's trip (fake Graph API → ingress → marker): with 4 s, a
  // CI machine at load 17 on 2 cores let one status arrive after the grace, and the resend was a second copy:
  // the rare duplicate docs/architecture.md accepts in production, which this test must not see.
  GRAPH_TIMEOUT_MS: '2000',
  GRAPH_STATUS_WAIT_MS: '10000',
};

function conversation(
  sessions: number,
  perSession: number,
  tag: string,
  offset = 0,
): { users: ReturnType<typeof simUser>[]; items: InboundItem[][] } {
  const users = Array.from({ length: sessions }, (_, i) => simUser(offset + i + 1));
  const items = users.map((u, s) => Array.from({ length: perSession }, (_, m) => inbound(u, content.text(`${tag}-${s}-${m}`))));
  return { users, items };
}

describe('crash and outage recovery', () => {
  let stack: TestStack;

  afterEach(async () => {
    await stack?.stop();
  });

  it('finishes the turns of a SIGKILLed worker exactly once, without stuck sessions', async () => {
    // A slow Graph API keeps turns in flight when the kill lands.
    stack = await TestStack.start({ workers: 3, workerEnv: { ...FAST_RECOVERY, TURN_HANDLER: 'echo' } });
    stack.graph.setLatency(40);
    const { users, items } = conversation(40, 5, 'k');
    const victim = stack.workers[0]!;
    const posting = postAll(stack, items.map((s) => s.map((i) => [i])).flat(), 8);
    await waitUntil(() => victim.logs.some((l) => l.msg === LogEvent.TurnDone), 20_000, 'the victim to run turns');
    await victim.stop('SIGKILL');
    expect((await posting).every((s) => s === 200)).toBe(true);

    // Handled exactly once: every message consumed by exactly one committed turn.
    const wamids = items.flat().map((i) => i.message.id);
    await waitUntil(async () => turnsPerWamid(await readAudit(stack.redis)).size >= wamids.length, 45_000, 'every message handled').catch(
      async (err: Error) => {
        // Say where the pipeline stands, so a failure here can be diagnosed from CI output alone.
        const handledNow = turnsPerWamid(await readAudit(stack.redis));
        // For each message without an audit record: is it in its session's history (committed, audit lost) or not (never committed)?
        const missing = await Promise.all(
          items
            .flat()
            .filter((i) => !handledNow.has(i.message.id))
            .map(async (i) => {
              const history = await stack.redis.lrange(`mc:{${DEFAULT_BUSINESS.phoneNumberId}:${i.message.from as string}}:history`, 0, -1);
              const body = (i.message as unknown as { text: { body: string } }).text.body;
              return `${body}${history.some((h) => h.includes(i.message.id)) ? ' (in history)' : ' (not committed)'}`;
            }),
        );
        const failed = (await stack.ingress.queue.getFailed()).map((j) => `${j.data.sessionKey}: ${j.failedReason} (${j.attemptsMade})`);
        const pending = (await stack.redis.keys('mc:*')).filter((k) => /inbox|processing|lock/.test(k));
        const warnings = stack.workers.flatMap((w) =>
          w.logs
            .filter((l) => (l.level as number) >= 40)
            .map((l) => `${String(l.msg)} [${JSON.stringify(l.turnId ?? l.idempotencyKey ?? '')}]`),
        );
        throw new Error(
          `${err.message}: missing ${JSON.stringify(missing)}; jobs ${JSON.stringify(await stack.ingress.queue.getJobCounts())}; ` +
            `failed ${JSON.stringify(failed)}; keys ${JSON.stringify(pending)}; worker warnings ${JSON.stringify(warnings.slice(0, 20))}`,
        );
      },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const handled = turnsPerWamid(await readAudit(stack.redis));
    expect(wamids.map((id) => handled.get(id))).toEqual(wamids.map(() => 1));

    // Replied exactly once, in order. A reply whose request died with the
    // victim is either settled by its status webhook (it reached WhatsApp) or
    // resent after the grace (it did not): never lost, never doubled.
    for (const [s, user] of users.entries()) {
      const echoed = stack.repliesTo(user.waId!).flatMap(echoedTexts);
      expect(echoed).toEqual(Array.from({ length: 5 }, (_, m) => `k-${s}-${m}`));
    }
  }, 150_000); // above the waits inside, so a slow machine fails with their message, not a bare jest timeout

  it('answers 503 while Redis is down and handles the redeliveries once when it is back', async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo' } });
    const user = simUser(500);
    const first = webhookBody([inbound(user, content.text('r-0-0'))]);
    expect((await stack.webhook.post(first)).status).toBe(200);
    await stack.graph.waitForSent(1, 10_000);

    await stack.redisServer.kill();
    const during = webhookBody([inbound(user, content.text('r-0-1')), inbound(user, content.text('r-0-2'))]);
    expect((await stack.webhook.post(during)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${stack.ingress.port}/readyz`)).status).toBe(503);

    await stack.redisServer.restart();
    // Meta retries the failed delivery, possibly more than once.
    await waitUntil(async () => (await stack.webhook.post(during)).status === 200, 15_000, 'ingress to accept again');
    expect((await stack.webhook.post(during)).status).toBe(200);
    await waitUntil(() => stack.repliesTo(user.waId!).flatMap(echoedTexts).length >= 3, 30_000, 'the redelivered messages answered');
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['r-0-0', 'r-0-1', 'r-0-2']);
  });

  it('sends a reply once when the Graph API answers 429 and 500 first', async () => {
    stack = await TestStack.start({ workers: 1, workerEnv: { TURN_HANDLER: 'echo' } });
    stack.graph.failNext(1, { status: 429 });
    stack.graph.failNext(2, { status: 500 });
    const user = simUser(600);
    expect((await stack.webhook.post(webhookBody([inbound(user, content.text('g-0-0'))]))).status).toBe(200);
    await waitUntil(() => stack.repliesTo(user.waId!).length >= 1, 30_000, 'the reply');
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(['g-0-0']);
    const failed = stack.graph.requests.filter((r) => r.endpoint === 'messages' && r.status >= 400);
    expect(failed.map((r) => r.status)).toEqual([429, 500, 500]);
  });
});
