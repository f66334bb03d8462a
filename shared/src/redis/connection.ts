import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { coalesceWrites, type WriteFlush } from './coalesce-writes.js';

export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: string | undefined;
}

export interface ConnectOptions {
  /**
   * BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must
   * wait out a reconnect); request-path clients fail fast so the ingress can
   * answer 503 and let WhatsApp retry.
   */
  role: 'blocking' | 'request';
  connectionName?: string;
  /** One socket write per event-loop tick (`true`, `'tick'`) or loop turn (`'loop'`) instead of one per command (coalesce-writes.ts). */
  coalesceWrites?: boolean | WriteFlush;
}

function baseOptions(opts: ConnectOptions): RedisOptions {
  return {
    connectionName: opts.connectionName,
    maxRetriesPerRequest: opts.role === 'blocking' ? null : 1,
    // A hung Redis must turn into a 503 quickly, not a request that never answers.
    commandTimeout: opts.role === 'request' ? 2_000 : undefined,
    // Off: auto-pipelining builds an ioredis Pipeline per batch (copying every
    // defined script onto it) and holds the next batch until the previous one
    // is answered. `coalesceWrites` batches the socket writes instead.
    enableAutoPipelining: false,
    enableOfflineQueue: opts.role === 'blocking',
    // Keep reconnecting with capped backoff: a Redis restart must not need a process restart.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    connectTimeout: 2_000,
  };
}

export function parseClusterNodes(spec: string): { host: string; port: number }[] {
  return spec.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    if (!host || !port || !/^\d+$/.test(port)) throw new Error(`bad cluster node "${entry}" (want host:port)`);
    return { host, port: Number(port) };
  });
}

const flushOf = (option: boolean | WriteFlush | undefined): WriteFlush => (option === 'loop' ? 'loop' : 'tick');

/** One place that knows whether we talk to a single Redis or a Redis Cluster. */
export function connectRedis(settings: RedisSettings, opts: ConnectOptions): RedisClient {
  const options = baseOptions(opts);
  if (settings.REDIS_CLUSTER_NODES) {
    const cluster = new Cluster(parseClusterNodes(settings.REDIS_CLUSTER_NODES), {
      redisOptions: options,
      enableOfflineQueue: options.enableOfflineQueue,
      enableAutoPipelining: options.enableAutoPipelining,
      clusterRetryStrategy: options.retryStrategy,
    });
    if (opts.coalesceWrites) cluster.on('+node', (node: Redis) => coalesceWrites(node, flushOf(opts.coalesceWrites)));
    return cluster;
  }
  const redis = new Redis(settings.REDIS_URL, options);
  if (opts.coalesceWrites) coalesceWrites(redis, flushOf(opts.coalesceWrites));
  return redis;
}
