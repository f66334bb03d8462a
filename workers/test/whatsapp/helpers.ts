import { randomUUID } from 'node:crypto';
import { confirmSendsFromStatuses } from '@medcita/shared';
import { captureLogger, testRedis } from '@medcita/testkit';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { GraphClient, type GraphClientOptions, type GraphRequestEvent } from '../../src/whatsapp/index.js';

export const TOKEN = 'EAAG-secret-token-for-tests';
export const PN = '106540352242922';

/** Real Redis, a fake Graph API, a unique key prefix, captured logs and request events. */
export async function setup() {
  const redis = testRedis();
  const fake = await FakeGraphApi.start({ accessToken: TOKEN });
  const keyPrefix = `test:${randomUUID()}`;
  const { logger, lines: logs } = captureLogger({ level: 'debug' });
  const events: GraphRequestEvent[] = [];
  const client = (overrides: Partial<GraphClientOptions> = {}) =>
    new GraphClient({
      baseUrl: fake.url,
      version: 'v23.0',
      accessToken: TOKEN,
      timeoutMs: 1_000,
      maxAttempts: 4,
      redis,
      keyPrefix,
      limiter: { perSecond: 1000, numberPauseMs: 300, pairPauseMs: 600 },
      retry: { baseMs: 20, maxMs: 100 },
      logger,
      onRequest: (e) => events.push(e),
      ...overrides,
    });
  const teardown = async () => {
    await fake.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  };
  return { redis, fake, keyPrefix, logs, events, client, teardown };
}

/** What the ingress does with WhatsApp's "sent" status for `messageId`, echoing the idempotency key. */
export const sentStatus = (t: Pick<Awaited<ReturnType<typeof setup>>, 'redis' | 'keyPrefix'>, messageId: string, callbackData: string) =>
  confirmSendsFromStatuses(t.redis, t.keyPrefix, [
    { type: 'status', phoneNumberId: PN, messageId, status: 'sent', timestamp: 0, callbackData, errors: [] },
  ]);
