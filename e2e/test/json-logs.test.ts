/**
 * Log shippers parse stdout/stderr line by line: a multi-line stack trace
 * outside the JSON format is lost or split into garbage. Through a Redis
 * outage every line a worker and an ingress process write must stay one
 * JSON object, and none may carry a phone number in clear.
 */
import { LogEvent } from '@medcita/shared';
import { logMsg, NodeService, type RedisServerHandle, startRedisServer } from '@medcita/testkit';

const PHONE = '59170000001';

/** A service process whose every stdout and stderr line is kept. */
class Service {
  readonly lines: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private waiters: { test: (rec: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  private service?: NodeService;

  /** Starts `entry` and resolves once it logged `readyMsg`. */
  static async start(entry: string, env: Record<string, string>, readyMsg: string): Promise<Service> {
    const s = new Service();
    s.service = await NodeService.start({
      name: entry,
      entry,
      env: { LOG_LEVEL: 'debug', ...env },
      ready: logMsg(readyMsg),
      onLine: (line) => s.onLine(line.stream, line.raw),
    });
    return s;
  }

  /** Resolves once `count` JSON lines matching `test` were written. */
  waitFor(test: (rec: Record<string, unknown>) => boolean, count = 1): Promise<void> {
    let seen = 0;
    return new Promise((resolve) => {
      const waiter = {
        test: (rec: Record<string, unknown>) => test(rec) && ++seen >= count,
        resolve,
      };
      for (const rec of this.records()) if (waiter.test(rec)) return resolve();
      this.waiters.push(waiter);
    });
  }

  records(): Record<string, unknown>[] {
    return this.lines.flatMap((l) => {
      try {
        return [JSON.parse(l.text) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  notJson(): string[] {
    return this.lines
      .filter((l) => {
        try {
          const rec: unknown = JSON.parse(l.text);
          return rec === null || typeof rec !== 'object';
        } catch {
          return true;
        }
      })
      .map((l) => `${l.stream}: ${l.text}`);
  }

  async kill(): Promise<void> {
    await this.service?.stop('SIGKILL');
  }

  private onLine(stream: 'stdout' | 'stderr', text: string): void {
    this.lines.push({ stream, text });
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(rec)) return true;
      w.resolve();
      return false;
    });
  }
}

describe('every log line is JSON, also through a Redis outage', () => {
  let redis: RedisServerHandle;
  const services: Service[] = [];

  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.kill()));
    await redis.stop();
  });

  it('a worker writes only JSON lines while Redis is down', async () => {
    const worker = await Service.start(
      'workers/src/main.ts',
      { REDIS_URL: redis.url, WHATSAPP_ACCESS_TOKEN: 'token', TURN_HANDLER: 'echo', METRICS_PORT: '0' },
      LogEvent.WorkerReady,
    );
    services.push(worker);
    await redis.kill();
    // Several reconnect attempts: each one used to print a bare stack per queue.
    await worker.waitFor((r) => r.msg === LogEvent.RedisConnectionError, 3);
    await worker.kill();

    expect(worker.notJson()).toEqual([]);
    const errors = worker.records().filter((r) => r.msg === LogEvent.RedisConnectionError || r.msg === LogEvent.QueueError);
    // The error keeps its code, so an operator can tell a refused connection from a reset one.
    expect(errors.map((r) => (r.err as { code?: string }).code)).toContain('ECONNREFUSED');
  });

  it('an ingress writes only JSON lines while Redis is down, and no phone number in a URL', async () => {
    const ingress = await Service.start(
      'ingress/src/main.ts',
      { REDIS_URL: redis.url, PORT: '0', ADMIN_PORT: '0', WHATSAPP_APP_SECRET: 'secret', WHATSAPP_VERIFY_TOKEN: 'verify' },
      LogEvent.IngressListening,
    );
    services.push(ingress);
    const port = ingress.records().find((r) => r.msg === LogEvent.IngressListening)!.port as number;
    await redis.kill();
    await ingress.waitFor((r) => r.msg === LogEvent.RedisConnectionError, 3);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/no-such-page/${PHONE}`)).status).toBe(404);
    await ingress.waitFor((r) => (r.res as { statusCode?: number } | undefined)?.statusCode === 404);
    await ingress.kill();

    expect(ingress.notJson()).toEqual([]);
    expect(ingress.lines.map((l) => l.text).join('\n')).not.toContain(PHONE);
  });
});
