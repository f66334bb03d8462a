import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { killOnExit } from '../process/kill-on-exit.js';

/** A private redis-server on a loopback port, for tests that stop and restart Redis. */
export interface RedisServerHandle {
  port: number;
  url: string;
  /** Stops it for good and removes its files. */
  stop(): Promise<void>;
  /** SIGKILLs it, to simulate an outage. */
  kill(): Promise<void>;
  /**
   * Starts it again on the same port (data is not kept unless its arguments
   * turn persistence on). `timeoutMs` bounds the wait for PONG, which a large
   * AOF being loaded can delay (default 10 s).
   */
  restart(opts?: { timeoutMs?: number }): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * True when a Redis answers PING on the port. A bare TCP connect is not
 * enough: after a port collision it would succeed against someone else's
 * server and the test would talk to the wrong process.
 */
export function answersPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(String(d).startsWith('+PONG')));
    s.once('error', () => done(false));
  });
}

async function isClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

function tail(file: string): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
}

export interface SpawnedRedis {
  child: ChildProcess;
  port: number;
  logFile: string;
}

/**
 * Spawns a redis-server on a free loopback port and waits until it answers
 * PING. `freePort` closes its probe socket before redis binds, so a parallel
 * test can take the same port in between; when redis exits early (address in
 * use), we try again on new ports instead of failing the suite. `extraArgs`
 * is called per attempt so callers can pick more ports (the cluster bus).
 */
export async function spawnRedis(
  dir: string,
  extraArgs: () => Promise<string[]> | string[] = () => [],
  opts: { attempts?: number; port?: number; timeoutMs?: number; pickPort?: () => Promise<number> } = {},
): Promise<SpawnedRedis> {
  const attempts = opts.port ? 1 : (opts.attempts ?? 5);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const failures: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await (opts.pickPort ?? freePort)());
    const logFile = path.join(dir, `redis-${port}.log`);
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      logFile,
      ...(await extraArgs()),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    killOnExit(child);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    child.once('error', (err) => {
      exited = true;
      failures.push(`spawn: ${err.message}`);
    });
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) {
      if (await answersPing(port)) return { child, port, logFile };
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!exited) {
      child.kill('SIGKILL');
      failures.push(`port ${port}: no PONG in ${timeoutMs} ms; log: ${tail(logFile)}`);
    } else {
      failures.push(`port ${port}: exited early; log: ${tail(logFile)}`);
    }
  }
  throw new Error(`redis-server did not start after ${attempts} attempt(s):\n${failures.join('\n')}`);
}

export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServerHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medcita-redis-'));
  let { child, port } = await spawnRedis(dir, () => extraArgs);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 5_000;
    while (!(await isClosed(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} still answers after SIGKILL`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart(opts = {}) {
      // An outage test needs the same address back, so no new-port retry here.
      ({ child, port } = await spawnRedis(dir, () => extraArgs, { port, ...opts }));
    },
    kill: stop,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
