/**
 * Redis Cluster (docs/deploy.md): every multi-key Lua script's keys hash to one Redis Cluster slot.
 * The runtime tests (cluster-pipeline, cluster-dialog) run the scripts on a
 * real cluster; this one checks the key builders themselves, for any session,
 * business number, slot or patient, including scripts those conversations
 * rarely reach. Slots are computed as Redis does (CRC16/XMODEM of the hash
 * tag, mod 16384), checked against CLUSTER KEYSLOT of a cluster-enabled node.
 */
import { keySlot as sharedKeySlot, QueueName, seenBucketKey, sessionKeys, slotTag } from '@medcita/shared';
import { startRedisServer, testRedis } from '@medcita/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { clinicKeys, DEFAULT_KEY_PREFIX } from '../../workers/src/clinic/builtin/keys.js';
import { sendKeys } from '../../workers/src/whatsapp/whatsapp-keys.js';

function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The cluster slot of a key (Redis Cluster spec: the first non-empty {…} is hashed when present). */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key)) % 16384;
}

const oneSlot = (keys: string[]) => new Set(keys.map(keySlot)).size === 1;
const sessions = ['1234567890:59170000001', '1234567890:US.abc{odd}', '999:591}{7', ''.padEnd(40, 'x')];

describe('Redis Cluster hash slots of script keys', () => {
  it('computes slots as Redis does', async () => {
    expect(keySlot('123456789')).toBe(12739); // the spec's test vector
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    // A cluster-enabled node answers CLUSTER KEYSLOT even before it owns slots.
    const server = await startRedisServer(['--cluster-enabled', 'yes']);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      for (const key of ['mc:{1:2}:inbox', 'a{}b', '{}{x}', 'x{a}{b}', 'medcita:{clinic}:slots', '{medcita}:turns:wait', 'plain']) {
        expect(keySlot(key)).toBe(Number(await redis.call('CLUSTER', 'KEYSLOT', key)));
      }
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('names one dedupe bucket tag per slot, computed as this test computes slots', () => {
    for (const slot of [0, 1, 5838, 16383]) expect(keySlot(`{${slotTag(slot)}}`)).toBe(slot);
    for (const key of ['mc:{1:2}:inbox', 'a{}b', '{}{x}', 'x{a}{b}', 'plain', ...sessions]) expect(sharedKeySlot(key)).toBe(keySlot(key));
  });

  it('session scripts (accept, lock, begin/commit turn, rate limit) stay in the session slot', () => {
    for (const s of sessions) {
      const k = sessionKeys('mc', s);
      const buckets = Array.from({ length: 8 }, (_, i) => seenBucketKey('mc', s, 2900 - i));
      expect(oneSlot([k.inbox, ...buckets])).toBe(true); // acceptMessage
      expect(oneSlot([k.lock, k.inbox, k.processing, k.attempts, k.state, k.auditOutbox, k.rate, k.rateNotice])).toBe(true); // openTurn
      expect(oneSlot([k.lock, k.processing, k.attempts, k.state, k.history, k.inbox, k.auditOutbox, k.context, k.transcript])).toBe(true); // commitTurn
    }
    // Different sessions spread over the cluster.
    const spread = new Set(Array.from({ length: 200 }, (_, i) => keySlot(sessionKeys('mc', `1:${i}`).inbox)));
    expect(spread.size).toBeGreaterThan(150);
  });

  it('send scripts (rate slot, pauses, idempotency) stay in the business number slot', () => {
    for (const number of ['1234567890', '55{5}', '1']) {
      const k = sendKeys('mc', number);
      expect(oneSlot([k.sendMarker('wamid.X:0'), k.schedule, k.numberPause, k.pairPause('59170000001'), k.rate])).toBe(true); // startSend
    }
  });

  it('clinic store scripts (hold, book, cancel) stay in the {clinic} slot', () => {
    const k = clinicKeys(DEFAULT_KEY_PREFIX);
    expect(oneSlot([k.slots, k.booked, k.hold('slot-1')])).toBe(true); // holdSlot
    expect(
      oneSlot([
        k.slots,
        k.booked,
        k.hold('s'),
        k.patients,
        k.appointments,
        k.patientAppointments('p'),
        k.appointmentsByStart,
        k.idempotency('i'),
      ]),
    ).toBe(true); // bookSlot
    expect(oneSlot([k.appointments, k.booked, k.patientAppointments('p'), k.appointmentsByStart])).toBe(true); // cancelAppointment
  });

  it('the BullMQ queue with the {medcita} prefix lives in one slot', async () => {
    // Constructing a Queue writes nothing; its key map is what BullMQ's scripts use.
    const connection = testRedis({ maxRetriesPerRequest: null });
    const queue = new Queue(QueueName.Turns, { prefix: '{medcita}', connection });
    try {
      const keys = Object.values(queue.keys).filter((key) => key !== '');
      expect(keys.length).toBeGreaterThan(5);
      expect(oneSlot(keys)).toBe(true);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
