import { LogEvent } from '@medcita/shared';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { freePort, httpReady, NodeService, REPO_ROOT, type RedisServerHandle, startRedisServer } from '@medcita/testkit';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';

export const BENCH_SECRETS = {
  WHATSAPP_APP_SECRET: 'bench-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
} as const;

export interface PipelineStackOptions {
  workers: number;
  /** Extra Node flags for the workers (e.g. `--cpu-prof`). */
  workerNodeArgs?: string[];
  workerConcurrency: number;
  sendRatePerSecond: number;
  logLevel: string;
  /** Run the compiled JavaScript of `npm run build` (what the images run) instead of the TypeScript sources through tsx. */
  built?: boolean;
  /** Extra environment for the workers (e.g. TURN_HANDLER). */
  workerEnv?: Record<string, string>;
}

/**
 * The whole pipeline for one benchmark run: a private redis-server, the fake
 * Graph API in this process (so reply times are read on this clock), the
 * ingress and N workers as child processes. Workers' `turn done` lines are
 * counted per process (at log level info or below).
 */
export class PipelineStack {
  readonly turnsPerWorker: number[] = [];
  readonly opsPorts: number[] = [];

  private constructor(
    readonly redisServer: RedisServerHandle,
    readonly redis: Redis,
    readonly graph: FakeGraphApi,
    readonly ingress: NodeService,
    readonly workers: NodeService[],
  ) {}

  ingressUrl = '';

  static async start(opts: PipelineStackOptions): Promise<PipelineStack> {
    for (const entry of opts.built ? ['ingress/dist/main.js', 'workers/dist/main.js'] : []) {
      if (!existsSync(path.join(REPO_ROOT, entry))) throw new Error(`--built runs ${entry}, which is missing: run \`npm run build\` first`);
    }
    const redisServer = await startRedisServer();
    const graph = await FakeGraphApi.start({ accessToken: BENCH_SECRETS.WHATSAPP_ACCESS_TOKEN });
    const env = { ...BENCH_SECRETS, REDIS_URL: redisServer.url, LOG_LEVEL: opts.logLevel };
    const started: NodeService[] = [];
    try {
      // Readiness by /readyz rather than log lines, so --log-level warn works too.
      const ingressPort = await freePort();
      const ingress = await NodeService.start({
        name: 'ingress',
        entry: opts.built ? 'ingress/dist/main.js' : 'ingress/src/main.ts',
        env: { ...env, PORT: String(ingressPort), ADMIN_PORT: '0' },
        readyProbe: httpReady(`http://127.0.0.1:${ingressPort}/readyz`),
      });
      started.push(ingress);
      const counts: number[] = [];
      const stack_ops: number[] = [];
      const workers = await Promise.all(
        Array.from({ length: opts.workers }, async (_, i) => {
          counts[i] = 0;
          const opsPort = await freePort();
          stack_ops[i] = opsPort;
          const w = await NodeService.start({
            name: `worker-${i + 1}`,
            entry: opts.built ? 'workers/dist/main.js' : 'workers/src/main.ts',
            ...(opts.workerNodeArgs ? { nodeArgs: opts.workerNodeArgs } : {}),
            env: {
              ...env,
              GRAPH_API_URL: graph.url,
              METRICS_PORT: String(opsPort),
              WORKER_CONCURRENCY: String(opts.workerConcurrency),
              SEND_RATE_PER_SECOND: String(opts.sendRatePerSecond),
              ...opts.workerEnv,
            },
            readyProbe: httpReady(`http://127.0.0.1:${opsPort}/readyz`),
            readyTimeoutMs: 120_000,
            onLine: (line) => {
              if (line.json?.msg === LogEvent.TurnDone) counts[i]! += 1;
            },
          });
          started.push(w);
          return w;
        }),
      );
      const stack = new PipelineStack(redisServer, new Redis(redisServer.url, { maxRetriesPerRequest: 2 }), graph, ingress, workers);
      (stack as { turnsPerWorker: number[] }).turnsPerWorker = counts;
      stack.ingressUrl = `http://127.0.0.1:${ingressPort}/webhook`;
      stack.opsPorts.push(...stack_ops);
      return stack;
    } catch (err) {
      await Promise.allSettled(started.map((s) => s.stop('SIGKILL')));
      await graph.close();
      await redisServer.stop();
      throw err;
    }
  }

  /** Turn records of the audit stream: `acceptedAt`, `startedAt`, `endedAt` (ms), `messages`. */
  async auditTurns(keyPrefix = 'mc'): Promise<{ acceptedAt: number; startedAt: number; endedAt: number; messages: number }[]> {
    const entries = await this.redis.xrange(`${keyPrefix}:audit`, '-', '+');
    return entries.map(([, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      return { acceptedAt: Number(f.acceptedAt), startedAt: Number(f.startedAt), endedAt: Number(f.endedAt), messages: Number(f.messages) };
    });
  }

  /** Sums a Prometheus counter (all label sets) over every worker's /metrics; null when absent. */
  async workerCounter(name: string): Promise<number | null> {
    const values = (await this.workerMetrics([name])).map((m) => m[name]);
    return values.some((v) => v !== undefined) ? values.reduce<number>((sum, v) => sum + (v ?? 0), 0) : null;
  }

  /**
   * One scrape of every worker's /metrics: each named metric summed over its
   * label sets, per worker. A scrape also restarts prom-client's event-loop
   * delay histogram, so two scrapes bracket a measurement.
   */
  async workerMetrics(names: string[]): Promise<Record<string, number | undefined>[]> {
    return Promise.all(
      this.opsPorts.map(async (port) => {
        const text = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.text(),
          () => '',
        );
        const out: Record<string, number | undefined> = {};
        for (const line of text.split('\n')) {
          const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
          if (m && names.includes(m[1]!)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
        }
        return out;
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.workers, this.ingress].map((s) => s.stop('SIGTERM', 5_000)));
    this.redis.disconnect();
    await this.graph.close();
    await this.redisServer.stop();
  }
}
