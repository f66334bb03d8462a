import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A real worker process (`workers/src/main.ts` through tsx), with its JSON log lines kept. */
export class WorkerProcess {
  readonly logs: Record<string, unknown>[] = [];
  private constructor(readonly child: ChildProcess) {}

  static async spawn(env: Record<string, string>, readyTimeoutMs = 20_000): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'workers/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_PRETTY: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new WorkerProcess(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let buffered = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker not ready in ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code} before ready: ${stderr}`));
      });
      child.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          try {
            const rec = JSON.parse(line) as Record<string, unknown>;
            proc.logs.push(rec);
            if (rec.msg === 'worker ready') {
              clearTimeout(timer);
              resolve();
            }
          } catch {
            /* not JSON: ignore */
          }
        }
      });
    });
    await ready;
    return proc;
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
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.alive) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    return exited;
  }
}
