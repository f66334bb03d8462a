import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { answersPing, freePort, spawnRedis } from '@medcita/testkit';

// Parallel suites pick ports with freePort and bind them later; a collision
// must cost one retry, not a red CI run.
describe('spawnRedis', () => {
  let dir: string;
  let squatter: net.Server;
  let taken: number;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-redis-test-'));
    squatter = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    taken = (squatter.address() as net.AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((r) => squatter.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves to another port when the one it picked was taken in between', async () => {
    const ports = [taken, await freePort()];
    const redis = await spawnRedis(dir, () => [], { pickPort: async () => ports.shift()! });
    try {
      expect(redis.port).not.toBe(taken);
      expect(await answersPing(redis.port)).toBe(true);
      expect(await answersPing(taken)).toBe(false);
    } finally {
      redis.child.kill('SIGKILL');
    }
  });

  it("names the port and quotes redis-server's own log when it cannot start", async () => {
    await expect(spawnRedis(dir, () => [], { port: taken })).rejects.toThrow(
      new RegExp(`port ${taken}: exited early; log: [\\s\\S]*(Address already in use|bind)`, 'i'),
    );
  });
});
