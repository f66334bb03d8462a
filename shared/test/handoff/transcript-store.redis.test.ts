import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { OperatorReplyKey, TranscriptStore, type TranscriptLine } from '../../src/handoff/index.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

function open(contextLines = 3) {
  const keyPrefix = `test-${randomUUID()}`;
  prefixes.push(keyPrefix);
  return new TranscriptStore(redis, { keyPrefix, contextLines, contextTtlSeconds: 1800, transcriptTtlSeconds: 7 * 86_400 });
}
const line = (id: string, text = id): TranscriptLine => ({ id, dir: 'in', kind: 'text', text, at: 1 });

describe(TranscriptStore.name, () => {
  it('keeps only a capped rolling context, with the session TTL, until a handoff copies it into a transcript', async () => {
    const t = open(3);
    await t.record('pn:1', [line('a'), line('b'), line('c'), line('d')], false);
    await t.record('pn:1', [line('d')], false); // a retried turn
    const k = t.keys('pn:1');
    expect((await redis.lrange(k.context, 0, -1)).map((r) => JSON.parse(r).id)).toEqual(['b', 'c', 'd']);
    expect(await redis.ttl(k.context)).toBeLessThanOrEqual(1800);
    expect(await redis.exists(k.transcript)).toBe(0);

    expect(await t.open('pn:1', { id: 'h', dir: 'note', kind: 'handoff', at: 2 })).toBe(3);
    expect(await t.record('pn:1', [line('e'), line('e')], true)).toBe(1);
    expect((await t.read('pn:1')).lines.map((l) => l.id)).toEqual(['b', 'c', 'd', 'h', 'e']);
    expect(await redis.ttl(k.transcript)).toBeGreaterThan(6 * 86_400);
  });

  it('with no context configured keeps no text outside a handoff', async () => {
    const t = open(0);
    await t.record('pn:2', [line('a')], false);
    expect(await redis.exists(t.keys('pn:2').context)).toBe(0);
  });

  it('reply statuses only move forward', async () => {
    const t = open();
    expect(await t.setStatus('pn:3', 'r1', 'queued')).toBe(true);
    expect(await t.setStatus('pn:3', 'r1', 'delivered')).toBe(true);
    expect(await t.setStatus('pn:3', 'r1', 'sent')).toBe(false);
    expect(await t.setStatus('pn:3', 'r1', 'read')).toBe(true);
    expect(await t.setStatus('pn:3', 'r1', 'failed')).toBe(false);
    expect((await t.read('pn:3')).statuses).toEqual({ r1: 'read' });
  });

  it('operator reply keys carry the session, so a status webhook finds the reply', () => {
    const key = OperatorReplyKey.make('106540352242922:59170000001', 'abc');
    expect(OperatorReplyKey.parse(key)).toEqual({ sessionKey: '106540352242922:59170000001', replyId: 'abc' });
    expect(OperatorReplyKey.parse('turn:0')).toBeNull();
  });
});
