import { webhookBody, type InboundItem } from '@medcita/testkit/simulator';
import type { TestStack } from './test-stack.js';

const sessionOf = (item: InboundItem) => item.user.userId ?? item.user.waId!;

/**
 * Posts delivery batches with `parallel` requests in flight. A batch starts
 * only after every earlier batch holding a message of one of its sessions was
 * answered: the per-user order the ingress sees is the order users wrote in.
 * Returns the HTTP status of each batch.
 */
export async function postAll(stack: TestStack, batches: InboundItem[][], parallel: number): Promise<number[]> {
  const lastOfSession = new Map<string, Promise<unknown>>();
  const statuses: number[] = new Array(batches.length);
  let running = 0;
  const queue: (() => void)[] = [];
  const slot = async () => {
    if (running < parallel) {
      running += 1;
      return;
    }
    await new Promise<void>((r) => queue.push(r));
    running += 1;
  };
  const free = () => {
    running -= 1;
    queue.shift()?.();
  };
  const all = batches.map((batch, i) => {
    const deps = [...new Set(batch.map(sessionOf))].map((s) => lastOfSession.get(s)).filter((d) => d !== undefined);
    const done = (async () => {
      await Promise.all(deps);
      await slot();
      try {
        // 30 s, not the sender's 10: on a loaded CI machine a starved ingress once took longer, and a slow answer is not a wrong one.
        statuses[i] = (await stack.webhook.post(webhookBody(batch), { timeoutMs: 30_000 })).status;
      } finally {
        free();
      }
    })();
    for (const s of new Set(batch.map(sessionOf))) lastOfSession.set(s, done);
    return done;
  });
  await Promise.all(all);
  return statuses;
}
