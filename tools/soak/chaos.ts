import type { Rng } from '@medcita/testkit/simulator';
import type { SoakStack } from './soak-stack.js';

export interface ChaosEvent {
  /** Seconds since the chaos started. */
  atS: number;
  at: string;
  kind: 'worker-sigkill' | 'worker-restarted' | 'worker-restart-failed' | 'redis-graceful-restart' | 'redis-sigkill';
  detail: string;
}

export interface ChaosPlan {
  killEveryMs: number;
  maxWorkerKills: number;
  /** Polled; the first time it holds, Redis is shut down gracefully and started again. */
  redisRestartAt?: (() => boolean) | undefined;
  /** Polled after the graceful restart; the first time it holds, Redis is SIGKILLed and started again from its AOF. */
  redisKillAt?: (() => boolean) | undefined;
}

/**
 * What goes wrong during a soak: a worker SIGKILLed every `killEveryMs` (one
 * that is up, never the last one up) and started again at once; one graceful
 * Redis restart and one Redis SIGKILL when the load reaches the plan's marks.
 */
export class ChaosMonkey {
  readonly events: ChaosEvent[] = [];
  kills = 0;
  restarts = 0;
  /** Set when a fault could not be undone (Redis did not come back); the soak then stops. */
  failure: string | undefined;
  private stopped = false;
  private t0 = 0;
  private loops: Promise<void>[] = [];
  private readonly restarting = new Map<number, Promise<void>>();

  constructor(
    private readonly stack: SoakStack,
    private readonly rng: Rng,
    private readonly say: (line: string) => void,
  ) {}

  start(plan: ChaosPlan): void {
    this.t0 = Date.now();
    this.loops = [this.killWorkers(plan), this.redisOutages(plan)];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await Promise.all(this.restarting.values());
  }

  private note(kind: ChaosEvent['kind'], detail: string): void {
    const atS = Math.round((Date.now() - this.t0) / 100) / 10;
    this.events.push({ atS, at: new Date().toISOString(), kind, detail });
    this.say(`chaos @${atS}s: ${kind} ${detail}`);
  }

  private async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }

  private async killWorkers(plan: ChaosPlan): Promise<void> {
    if (plan.killEveryMs <= 0 || plan.maxWorkerKills <= 0) return;
    while (!this.stopped && this.kills < plan.maxWorkerKills) {
      await this.sleep(plan.killEveryMs);
      if (this.stopped) return;
      const workers = this.stack.workers;
      // A slot whose restart failed earlier gets another start.
      workers.forEach((w, i) => !w && !this.restarting.has(i) && this.restart(i));
      const up = workers.flatMap((w, i) => (w?.alive && !this.restarting.has(i) ? [i] : []));
      if (up.length < 2) continue;
      const victim = up[Math.floor(this.rng() * up.length)]!;
      const pid = workers[victim]!.pid;
      await this.stack.killWorker(victim);
      this.kills += 1;
      this.note('worker-sigkill', `worker-${victim + 1} (pid ${pid})`);
      this.restart(victim);
    }
  }

  private restart(i: number): void {
    const t = Date.now();
    const p = this.stack.startWorker(i).then(
      () => {
        this.restarts += 1;
        this.note('worker-restarted', `worker-${i + 1} ready after ${Date.now() - t} ms`);
      },
      (err: Error) => this.note('worker-restart-failed', `worker-${i + 1}: ${err.message.split('\n')[0]}`),
    );
    this.restarting.set(i, p);
    void p.finally(() => this.restarting.delete(i));
  }

  private async redisOutages(plan: ChaosPlan): Promise<void> {
    for (const [when, kind] of [
      [plan.redisRestartAt, 'redis-graceful-restart'],
      [plan.redisKillAt, 'redis-sigkill'],
    ] as const) {
      if (!when) continue;
      while (!this.stopped && !when()) await new Promise((r) => setTimeout(r, 100));
      if (this.stopped) return;
      let ms: number;
      try {
        ms = kind === 'redis-sigkill' ? await this.stack.killRedis() : await this.stack.restartRedisGracefully();
      } catch (err) {
        // Without Redis the soak cannot go on: the run stops and reports why.
        this.failure = `${kind}: Redis did not come back: ${(err as Error).message}`;
        this.note(kind, this.failure);
        return;
      }
      this.note(
        kind,
        `primary back on its port, data loaded from its AOF${this.stack.replica ? ' and the replica linked again' : ''}, ${ms} ms after the ${kind === 'redis-sigkill' ? 'SIGKILL' : 'SHUTDOWN'}`,
      );
    }
  }
}
