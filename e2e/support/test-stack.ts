import { createLogger, type Logger } from '@medcita/shared';
import { FakeGraphApi, WebhookSender, type SentRecord } from '@medcita/testkit/simulator';
import { type RedisClusterHandle, type RedisServerHandle, startRedisCluster, startRedisServer, WorkerProcess } from '@medcita/testkit';
import { Cluster, Redis } from 'ioredis';
import { loadIngressConfig } from '../../ingress/src/config.js';
import { startIngress, type RunningIngress } from '../../ingress/src/ingress.js';

export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const ACCESS_TOKEN = 'test-access-token';

export interface TestStackOptions {
  workers: number;
  /** Extra environment for worker processes. */
  workerEnv?: Record<string, string>;
  /** Extra environment for the ingress (e.g. OPERATORS for the admin port). */
  ingressEnv?: Record<string, string>;
  logger?: Logger;
}

export interface ClusterTestStackOptions extends TestStackOptions {
  /** Masters of the private Redis Cluster (no replicas); default 3. */
  masters?: number;
}

/**
 * A whole pipeline on loopback: a private redis-server (so tests can stop it),
 * the fake Graph API, the ingress in this process and N real worker processes.
 * `TestStack.startOnCluster` runs the same pipeline on a private Redis Cluster
 * (`redis` is then a cluster client and `cluster` the nodes).
 */
export class TestStack<R extends Redis | Cluster = Redis> {
  readonly workers: WorkerProcess[] = [];
  /** The private Redis Cluster, on a stack from `startOnCluster`. */
  cluster?: RedisClusterHandle;

  private constructor(
    readonly redisServer: RedisServerHandle,
    readonly redis: R,
    readonly graph: FakeGraphApi,
    readonly ingress: RunningIngress,
    readonly webhook: WebhookSender,
    private readonly workerEnv: Record<string, string>,
  ) {}

  static async start(opts: TestStackOptions): Promise<TestStack> {
    const redisServer = await startRedisServer();
    return TestStack.assemble(
      opts,
      redisServer,
      { REDIS_URL: redisServer.url },
      () => new Redis(redisServer.url, { maxRetriesPerRequest: 1 }),
    );
  }

  /**
   * The same pipeline on a private Redis Cluster: the ingress and the workers
   * get `REDIS_CLUSTER_NODES`. `redisServer` stands for the whole cluster
   * (`stop()` ends every node; `kill`/`restart` are not supported).
   */
  static async startOnCluster(opts: ClusterTestStackOptions): Promise<TestStack<Cluster>> {
    const cluster = await startRedisCluster(opts.masters ?? 3);
    const first = cluster.nodes[0]!;
    const handle: RedisServerHandle = {
      port: first.port,
      url: `redis://${first.host}:${first.port}`,
      stop: () => cluster.stop(),
      kill: () => Promise.reject(new Error('kill() is not supported on a cluster stack')),
      restart: () => Promise.reject(new Error('restart() is not supported on a cluster stack')),
    };
    try {
      const stack = await TestStack.assemble(opts, handle, { REDIS_CLUSTER_NODES: cluster.nodesSpec }, () => cluster.connect());
      stack.cluster = cluster;
      return stack;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  private static async assemble<C extends Redis | Cluster>(
    opts: TestStackOptions,
    redisServer: RedisServerHandle,
    redisEnv: Record<string, string>,
    client: () => C,
  ): Promise<TestStack<C>> {
    const graph = await FakeGraphApi.start({ accessToken: ACCESS_TOKEN });
    const env = {
      ...redisEnv,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      LOG_LEVEL: 'warn',
    };
    const ingress = await startIngress(
      loadIngressConfig({ ...env, PORT: '0', ADMIN_PORT: '0', ...opts.ingressEnv }),
      opts.logger ?? createLogger({ level: 'silent', service: 'ingress' }),
    );
    // Like Meta: every accepted reply comes back as a signed "sent" status.
    graph.sendStatusesTo({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: APP_SECRET });
    const workerEnv = {
      ...env,
      LOG_LEVEL: 'info',
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      GRAPH_API_URL: graph.url,
      METRICS_PORT: '0',
      SEND_RATE_PER_SECOND: '1000',
      ...opts.workerEnv,
    };
    const stack = new TestStack<C>(
      redisServer,
      client(),
      graph,
      ingress,
      new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: APP_SECRET }),
      workerEnv,
    );
    await Promise.all(Array.from({ length: opts.workers }, () => stack.addWorker()));
    return stack;
  }

  async addWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const w = await WorkerProcess.spawn({ ...this.workerEnv, ...env });
    this.workers.push(w);
    return w;
  }

  /** Texts of all text replies sent to one WhatsApp id, in the order the fake Graph API got them. */
  repliesTo(waId: string): SentRecord[] {
    return this.graph.sent.filter((s) => s.to === waId);
  }

  /** A part that takes suspiciously long is named on stderr, so a hung hook says what hung. */
  async stop(): Promise<void> {
    await reportIfSlow('worker processes', Promise.allSettled(this.workers.map((w) => w.stop('SIGKILL'))));
    await reportIfSlow(
      'ingress.close()',
      this.ingress.close().catch(() => undefined),
    );
    this.redis.disconnect();
    await reportIfSlow('fake Graph API close()', this.graph.close());
    await reportIfSlow('redis-server stop()', this.redisServer.stop());
  }
}

async function reportIfSlow<T>(what: string, work: Promise<T>, afterMs = 10_000): Promise<T> {
  const timer = setTimeout(() => process.stderr.write(`TestStack.stop: ${what} still running after ${afterMs} ms\n`), afterMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

export { waitUntil } from '@medcita/testkit';
