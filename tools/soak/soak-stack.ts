import {
  answersPing,
  freePort,
  httpReady,
  NodeService,
  type RedisServerHandle,
  type ServiceLine,
  startRedisServer,
} from '@medcita/testkit';
import { RemoteFakeGraph, type FakeGraphCounts, type SentRecord } from '@medcita/testkit/simulator';
import { Redis } from 'ioredis';
import type { SoakGraphConfig } from './soak-graph-main.js';

export const SOAK_SECRETS = {
  WHATSAPP_APP_SECRET: 'soak-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'soak-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'soak-access-token',
} as const;

export interface SoakStackOptions {
  workers: number;
  ackDurability: 'none' | 'replica';
  workerEnv: Record<string, string>;
  /** The fake Graph API's faults (its token, status target and secret are the stack's). */
  graph: Omit<SoakGraphConfig, 'accessToken' | 'statusUrl' | 'appSecret'>;
  /** Every send the fake Graph API accepted. */
  onSent: (record: SentRecord) => void;
  /** Keeps worker and ingress warnings (bounded) as evidence. */
  onLog: (service: string, line: Record<string, unknown>) => void;
  /** A whole line of the ingress or a worker that is not a JSON log record (every line must be one). */
  onStrayLine: (service: string, line: ServiceLine) => void;
}

/**
 * The project's own processes for a soak: a private redis-server with AOF
 * (and a replica when acknowledgements wait for one), and as child
 * processes the ingress, the fake Graph API (`soak-graph-main.ts`; its sends
 * are read from its output) and N workers. Workers can be killed and restarted, Redis restarted
 * gracefully or SIGKILLed and brought back from its AOF on the same port.
 */
export class SoakStack {
  readonly workers: (NodeService | undefined)[] = [];
  private readonly opsPorts: number[] = [];
  ingressUrl = '';
  private graphService: NodeService | undefined;
  private graphUrl = '';

  private constructor(
    private readonly opts: SoakStackOptions,
    readonly primary: RedisServerHandle,
    readonly replica: RedisServerHandle | undefined,
    readonly redis: Redis,
    private ingress: NodeService | undefined,
  ) {}

  static async start(opts: SoakStackOptions): Promise<SoakStack> {
    const primary = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    let replica: RedisServerHandle | undefined;
    const redis = new Redis(primary.url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    // Outages are the point of a soak: the client reconnects by itself, and its errors are expected.
    redis.on('error', () => undefined);
    const stack = new SoakStack(opts, primary, undefined, redis, undefined);
    try {
      if (opts.ackDurability === 'replica') {
        replica = await startRedisServer(['--replicaof', '127.0.0.1', String(primary.port)]);
        (stack as { replica: RedisServerHandle | undefined }).replica = replica;
        await stack.waitReplicaLinked();
      }
      const port = await freePort();
      stack.ingress = await NodeService.start({
        name: 'ingress',
        entry: 'ingress/src/main.ts',
        env: {
          ...SOAK_SECRETS,
          REDIS_URL: primary.url,
          PORT: String(port),
          ADMIN_PORT: '0',
          LOG_LEVEL: 'warn',
          REDIS_ACK_DURABILITY: opts.ackDurability,
          REDIS_ACK_REPLICAS: '1',
        },
        readyProbe: httpReady(`http://127.0.0.1:${port}/readyz`),
        readyTimeoutMs: 120_000,
        onLine: (line) => stack.route('ingress', line),
      });
      stack.ingressUrl = `http://127.0.0.1:${port}/webhook`;
      await stack.startGraph();
      await Promise.all(Array.from({ length: opts.workers }, (_, i) => stack.startWorker(i)));
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  private route(service: string, line: ServiceLine): void {
    if (line.json) this.opts.onLog(service, line.json);
    // A line cut by a SIGKILL is the chaos's doing, not the process's format.
    else if (!line.partial && line.raw.trim() !== '') this.opts.onStrayLine(service, line);
  }

  private async startGraph(): Promise<void> {
    const config: SoakGraphConfig = {
      ...this.opts.graph,
      accessToken: SOAK_SECRETS.WHATSAPP_ACCESS_TOKEN,
      statusUrl: this.ingressUrl,
      appSecret: SOAK_SECRETS.WHATSAPP_APP_SECRET,
    };
    this.graphService = await NodeService.start({
      name: 'fake-graph',
      entry: 'tools/soak/soak-graph-main.ts',
      env: { SOAK_GRAPH: JSON.stringify(config) },
      ready: (line) => line.json?.soakGraph === 'ready',
      readyTimeoutMs: 60_000,
      onLine: (line) => {
        const sent = line.json?.sent as SentRecord | undefined;
        if (sent) this.opts.onSent(sent);
      },
    });
    this.graphUrl = String(this.graphService.readyLine?.json?.url);
  }

  /** What the fake Graph API injected and reported so far. */
  graphCounts(): Promise<FakeGraphCounts> {
    return new RemoteFakeGraph(this.graphUrl).counts();
  }

  async startWorker(i: number): Promise<void> {
    const opsPort = await freePort();
    this.opsPorts[i] = opsPort;
    this.workers[i] = await NodeService.start({
      name: `worker-${i + 1}`,
      entry: 'workers/src/main.ts',
      env: {
        ...SOAK_SECRETS,
        REDIS_URL: this.primary.url,
        GRAPH_API_URL: this.graphUrl,
        METRICS_PORT: String(opsPort),
        LOG_LEVEL: 'warn',
        ...this.opts.workerEnv,
      },
      readyProbe: httpReady(`http://127.0.0.1:${opsPort}/readyz`),
      readyTimeoutMs: 180_000,
      onLine: (line) => this.route(`worker-${i + 1}`, line),
    });
  }

  /** SIGKILLs worker `i` (no drain, no lock release); resolves when it is gone. */
  async killWorker(i: number): Promise<void> {
    const w = this.workers[i];
    this.workers[i] = undefined;
    await w?.stop('SIGKILL');
  }

  /** SHUTDOWN (AOF flushed), then the same server back on its port and data. Resolves with the downtime in ms. */
  async restartRedisGracefully(): Promise<number> {
    const admin = new Redis(this.primary.url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    admin.on('error', () => undefined);
    const t0 = Date.now();
    await admin.connect();
    await admin.call('SHUTDOWN').catch(() => undefined); // the connection closes as the server exits
    admin.disconnect();
    while (await answersPing(this.primary.port)) await new Promise((r) => setTimeout(r, 25));
    await this.primary.restart({ timeoutMs: 180_000 });
    await this.waitReplicaLinked();
    return Date.now() - t0;
  }

  /** SIGKILL, then the server back on its port from its AOF. Resolves with the downtime in ms. */
  async killRedis(): Promise<number> {
    const t0 = Date.now();
    await this.primary.kill();
    await this.primary.restart({ timeoutMs: 180_000 });
    await this.waitReplicaLinked();
    return Date.now() - t0;
  }

  private async waitReplicaLinked(): Promise<void> {
    if (!this.replica) return;
    const probe = new Redis(this.replica.url, { maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    try {
      const deadline = Date.now() + 60_000;
      while (!/master_link_status:up/.test(await probe.info('replication'))) {
        if (Date.now() > deadline) throw new Error('the replica did not link to the primary within 60 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      probe.disconnect();
    }
  }

  /** used_memory of the primary, in bytes. */
  async usedMemory(): Promise<number> {
    const info = await this.redis.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
  }

  async redisVersion(): Promise<string> {
    return /redis_version:(\S+)/.exec(await this.redis.info('server'))?.[1] ?? 'unknown';
  }

  get processIds(): { ingress?: number; workers: (number | undefined)[] } {
    return { ...(this.ingress ? { ingress: this.ingress.pid } : {}), workers: this.workers.map((w) => w?.pid) };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.workers, this.ingress].flatMap((s) => (s ? [s.stop('SIGKILL')] : [])));
    await this.graphService?.stop('SIGTERM', 5_000);
    this.redis.disconnect();
    await this.replica?.stop();
    await this.primary.stop();
  }
}
