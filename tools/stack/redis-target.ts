import { startRedisServer, type RedisServerHandle } from '@medcita/testkit';
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** True when a Redis at `url` answers PING within `timeoutMs`. Never throws. */
export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface RedisTarget {
  url: string;
  /** `existing`: a Redis that already answered; `private`: a redis-server this process started. */
  source: 'existing' | 'private';
  /** Stops the private server (no-op for an existing one). Safe to call twice. */
  stop(): Promise<void>;
}

export class NoRedisError extends Error {
  override readonly name = 'NoRedisError';
}

/**
 * Uses the Redis at `url` when it answers (unless `forcePrivate`), else starts
 * a private `redis-server` on a free loopback port (no persistence), else
 * throws NoRedisError with what to do about it.
 */
export async function resolveRedis(opts: { url?: string; forcePrivate?: boolean } = {}): Promise<RedisTarget> {
  const url = opts.url ?? DEFAULT_REDIS_URL;
  if (!opts.forcePrivate && (await redisAnswers(url))) {
    return { url, source: 'existing', stop: async () => undefined };
  }
  if (!redisServerOnPath()) {
    throw new NoRedisError(
      `no Redis answers at ${maskRedisUrl(url)} and redis-server is not on PATH. Either:\n` +
        '  - install it: sudo apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS), or\n' +
        '  - run one: docker run --rm -p 6379:6379 redis:7, or\n' +
        '  - point REDIS_URL (environment or .env) at a Redis you can use.',
    );
  }
  const server: RedisServerHandle = await startRedisServer();
  let stopped: Promise<void> | undefined;
  return { url: server.url, source: 'private', stop: () => (stopped ??= server.stop()) };
}

/** The URL without its password, for printing. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
