/**
 * Invariant 5 of docs/product.md (no double booking): 50 patients race for the same slot through the
 * pipeline. Exactly one gets it held (and books it); the other 49 are told it
 * was taken and get other slots; the slot is never held by two at once.
 */
import { simUser } from '@medcita/testkit/simulator';
import { Conversation, lastList, seedWithPatients, textOf, type SeenReply } from '../support/conversation.js';
import { TestStack } from '../support/test-stack.js';

const RACERS = 50;
const users = Array.from({ length: RACERS }, (_, i) => simUser(4300 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));

describe('50 sessions race for one slot', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({
      workers: 3,
      workerEnv: { TURN_HANDLER: 'dialog', CLINIC_SEED_FILE: seed.file, WORKER_CONCURRENCY: '16' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('holds and books the slot for exactly one; 49 get another-slot offer', async () => {
    const chats = users.map((u) => new Conversation(stack, u));
    await Promise.all(chats.map((c, i) => c.say(seed.patients[i]!.documentNumber)));
    const lists = await Promise.all(chats.map(async (c) => lastList(await c.say('traumatología'))));
    const contested = lists[0]!.rows[0]!;
    // Nobody holds anything yet, so everyone sees the same first slot.
    for (const list of lists) expect(list.rows[0]).toEqual(contested);

    const answers = await Promise.all(chats.map((c, i) => c.tap(lists[i]!.rows[0]!, 'list')));
    const winners = answers.filter((r) => r.some((m) => m.kind === 'buttons' && m.body.includes(contested.title)));
    const losers = answers.filter((r) => /se acaba de ocupar/.test(textOf(r)));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(RACERS - 1);
    for (const lost of losers) {
      const offer = lastList(lost);
      expect(offer.rows.length).toBeGreaterThan(0);
      // The slot held by the winner is not offered to anyone else.
      expect(
        offer.rows.some((r: SeenReply['rows'][number]) => r.title === contested.title && r.description === contested.description),
      ).toBe(false);
    }

    const winner = chats[answers.indexOf(winners[0]!)]!;
    expect(textOf(await winner.say('sí'))).toMatch(/quedó agendada/);
    // Exactly one booking exists in the clinic store, for that slot.
    const booked = await stack.redis.hgetall('medcita:{clinic}:booked');
    expect(Object.keys(booked)).toHaveLength(1);
  });
});
