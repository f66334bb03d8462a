import { LogEvent } from '@medcita/shared';
import { logMsg, NodeService } from './node-service.js';

/** A real worker process (`workers/src/main.ts` through tsx), with its JSON log lines kept. */
export class WorkerProcess {
  readonly logs: Record<string, unknown>[] = [];
  private service!: NodeService;

  private constructor() {}

  // A worker compiles its sources through tsx at start; on a loaded 2-core machine that alone
  // has taken over 20 s, so the wait is generous and the test's own timeout bounds it.
  static async spawn(env: Record<string, string>, readyTimeoutMs = 90_000): Promise<WorkerProcess> {
    const proc = new WorkerProcess();
    proc.service = await NodeService.start({
      name: 'worker',
      entry: 'workers/src/main.ts',
      env,
      ready: logMsg(LogEvent.WorkerReady),
      readyTimeoutMs,
      onLine: (line) => {
        if (line.json) proc.logs.push(line.json);
      },
    });
    return proc;
  }

  get child() {
    return this.service.child;
  }

  /** Port of the worker's /metrics, /healthz, /readyz server. */
  get opsPort(): number {
    const line = this.logs.find((l) => typeof l.opsPort === 'number' && l.opsPort !== 0);
    if (!line) throw new Error('worker has not logged its ops port');
    return line.opsPort as number;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.opsPort}/metrics`)).text();
  }

  get alive(): boolean {
    return this.service.alive;
  }

  /** Sends a signal and waits for the process to end; resolves its exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // A graceful stop drains in-flight turns; the kill after 30 s only keeps a hung worker from hanging the suite.
    return this.service.stop(signal, 30_000);
  }
}
