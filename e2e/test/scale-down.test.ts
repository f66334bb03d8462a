/**
 * docs/deploy.md, autoscaling: the autoscaler scales workers down under load. 4 workers, 3 of
 * them SIGTERMed one by one while messages keep arriving: each finishes its
 * running turns and exits 0, and every message is handled exactly once.
 */
import { LogEvent } from '@medcita/shared';
import { content, inbound, simUser, type InboundItem } from '@medcita/testkit/simulator';
import { readAudit, turnsPerWamid } from '../support/audit.js';
import { echoedTexts } from '../support/echo-replies.js';
import { postAll } from '../support/post-all.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

describe('scaling down under load', () => {
  let stack: TestStack;

  afterAll(async () => {
    await stack?.stop();
  });

  it('loses and repeats nothing while 3 of 4 workers are stopped one by one', async () => {
    stack = await TestStack.start({ workers: 4, workerEnv: { TURN_HANDLER: 'echo' } });
    stack.graph.setLatency(15); // turns take a little while, so stops land mid-turn
    const users = Array.from({ length: 60 }, (_, i) => simUser(7000 + i));
    const items: InboundItem[][] = users.map((u, s) => Array.from({ length: 6 }, (_, m) => inbound(u, content.text(`sd-${s}-${m}`))));
    const posting = postAll(stack, items.map((s) => s.map((i) => [i])).flat(), 6);

    const exits: (number | null)[] = [];
    for (const victim of stack.workers.slice(0, 3)) {
      // 45 s: with other suites and processes on 2 cores, a worker's first turn once came later than 20 s.
      await waitUntil(() => victim.logs.some((l) => l.msg === LogEvent.TurnDone), 45_000, 'the worker to be busy');
      exits.push(await victim.stop('SIGTERM'));
    }
    expect(exits).toEqual([0, 0, 0]);
    expect((await posting).every((s) => s === 200)).toBe(true);

    const wamids = items.flat().map((i) => i.message.id);
    await waitUntil(async () => turnsPerWamid(await readAudit(stack.redis)).size >= wamids.length, 60_000, 'all handled');
    await new Promise((r) => setTimeout(r, 500));
    const handled = turnsPerWamid(await readAudit(stack.redis));
    expect(wamids.filter((id) => handled.get(id) !== 1)).toEqual([]);
    for (const [s, user] of users.entries()) {
      expect(stack.repliesTo(user.waId!).flatMap(echoedTexts)).toEqual(Array.from({ length: 6 }, (_, m) => `sd-${s}-${m}`));
    }
    // The stopped workers did real work before leaving.
    for (const w of stack.workers.slice(0, 3)) expect(w.logs.some((l) => l.msg === LogEvent.TurnDone)).toBe(true);
  }, 150_000); // above the waits inside, so a slow machine fails with their message, not a bare jest timeout
});
