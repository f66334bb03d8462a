import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../repo-root.js';
import { killOnExit } from './kill-on-exit.js';

/** One output line of a service; `json` when the line was a JSON object (pino). */
export interface ServiceLine {
  stream: 'stdout' | 'stderr';
  raw: string;
  json?: Record<string, unknown>;
  /** The output ended without a newline: the process died (a SIGKILL, say) in the middle of writing this line. */
  partial?: true;
}

export interface NodeServiceOptions {
  /** Short name for messages (`ingress`, `worker-1`...). */
  name: string;
  /**
   * Entry relative to the repo root: TypeScript (`.ts`) runs through tsx with
   * the `source` condition; compiled JavaScript (`.js`, `npm run build`) runs
   * on plain node, as the images run it.
   */
  entry: string;
  args?: string[];
  /** Extra Node flags before the entry (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Added to (and overriding) this process's environment. */
  env?: Record<string, string>;
  /** The service is ready when a line satisfies this… */
  ready?: (line: ServiceLine) => boolean;
  /** …or when this resolves true (polled every 100 ms), e.g. GET /readyz when logs are quiet. */
  readyProbe?: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /**
   * Every line, as it arrives (after `ready` was checked). Without it, output
   * after the ready line is drained unread, so a chatty service under load
   * does not cost the parent CPU.
   */
  onLine?: (line: ServiceLine) => void;
}

/**
 * A repo service (`ingress/src/main.ts`, `workers/src/main.ts`, the fake
 * Graph API...) in its own Node process, started the way `npm run dev` and
 * the benchmarks need: TypeScript through tsx, no build step (or compiled
 * JavaScript on plain node, for benchmarks of what ships), output split
 * into lines with pino JSON parsed, and a ready line to wait for.
 */
export class NodeService {
  /** The line that made the service ready. */
  readyLine: ServiceLine | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    // 'close', not 'exit': by then stdout and stderr are drained, so a caller
    // that stops the service and then reads its lines has all of them.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  static async start(opts: NodeServiceOptions): Promise<NodeService> {
    const child = spawn(
      process.execPath,
      [
        ...(opts.nodeArgs ?? []),
        ...(opts.entry.endsWith('.js') ? [] : ['--conditions=source', '--import', 'tsx']),
        opts.entry,
        ...(opts.args ?? []),
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_PRETTY: '0', ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    killOnExit(child);
    const service = new NodeService(opts.name, child);
    const timeoutMs = opts.readyTimeoutMs ?? 30_000;
    const tail: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(new Error(`${opts.name} not ready within ${timeoutMs} ms:\n${tail.join('\n')}`));
      }, timeoutMs);
      child.once('error', (err) => settle(new Error(`${opts.name} could not start: ${err.message}`)));
      child.once('exit', (code, signal) =>
        settle(new Error(`${opts.name} exited (${signal ?? code}) before it was ready:\n${tail.join('\n')}`)),
      );
      const onLine = (line: ServiceLine) => {
        if (settled && !opts.onLine) return;
        tail.push(line.raw);
        if (tail.length > 30) tail.shift();
        if (!settled && opts.ready?.(line)) {
          service.readyLine = line;
          settle();
        }
        opts.onLine?.(line);
      };
      const drain = () => settled && !opts.onLine;
      if (opts.readyProbe) {
        const probe = opts.readyProbe;
        void (async () => {
          while (!settled) {
            if (await probe().catch(() => false)) return settle();
            await new Promise((r) => setTimeout(r, 100));
          }
        })();
      }
      splitLines(child.stdout, 'stdout', onLine, drain);
      splitLines(child.stderr, 'stderr', onLine, drain);
    });
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Sends `signal`, waits for the exit, and SIGKILLs after `graceMs`. Safe to
   * call twice. Resolves the exit code (null when a signal ended it).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> {
    if (!this.alive) return this.child.exitCode;
    this.child.kill(signal);
    const timer = setTimeout(() => this.alive && this.child.kill('SIGKILL'), graceMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** A readiness probe: GET `url` answers 2xx. */
export const httpReady = (url: string) => (): Promise<boolean> =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    (r) => r.ok,
    () => false,
  );

/** True for a pino line whose `msg` is `msg`. */
export const logMsg = (msg: string) => (line: ServiceLine) => line.json?.msg === msg;

function splitLines(
  stream: NodeJS.ReadableStream,
  name: 'stdout' | 'stderr',
  onLine: (l: ServiceLine) => void,
  drain: () => boolean,
): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (drain()) return;
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const raw = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine({ stream: name, raw, ...parseJsonObject(raw) });
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine({ stream: name, raw: buffered, partial: true, ...parseJsonObject(buffered) });
  });
}

function parseJsonObject(raw: string): { json?: Record<string, unknown> } {
  if (!raw.startsWith('{')) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? { json: value as Record<string, unknown> } : {};
  } catch {
    return {};
  }
}
