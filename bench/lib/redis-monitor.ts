import { luaScript } from '@medcita/shared';
import { REPO_ROOT } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** One script (or plain command) and what it cost per turn. */
export interface ScriptCost {
  /** Our script's name (`openTurn`), `bullmq:<name>` for BullMQ's, or `plain` for commands sent outside any script. */
  script: string;
  calls: number;
  /** Every command Redis executed for it: the EVALSHA itself and the calls inside. */
  commands: number;
  /** The commands inside, most frequent first (for `plain`, the commands themselves). */
  inner: Record<string, number>;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * An argument as an ioredis monitor event gives it: escaped the way MONITOR
 * prints it (Redis's sdscatrepr), but with `\"` turned back into `"` by
 * ioredis. An EVAL's script text is known by it.
 */
function monitorRepr(text: string): string {
  const escapes: Record<number, string> = { 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' };
  let out = '';
  for (const byte of Buffer.from(text)) {
    out += escapes[byte] ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`);
  }
  return out;
}

/**
 * SHA-1 → name of every Lua script the stack may run: ours (by file) and
 * BullMQ's (by its bundled sources); each also under the SHA-1 of its text
 * as MONITOR shows it, for the EVAL sent when a server lacked the script.
 */
function scriptNames(): Map<string, string> {
  const names = new Map<string, string>();
  const add = (text: string, name: string) => {
    names.set(sha1(text), name);
    names.set(sha1(monitorRepr(text)), name);
  };
  for (const pkg of ['shared/src', 'workers/src', 'ingress/src']) {
    const dir = path.join(REPO_ROOT, pkg);
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /-\d+\.lua$/.test(f))) {
      const script = luaScript(pathToFileURL(path.join(dir, file)).href, `./${path.basename(file)}`);
      add(script.lua, script.name);
    }
  }
  // BullMQ defines its scripts on the client from these modules (ioredis hashes the text as given).
  const require = createRequire(path.join(REPO_ROOT, 'workers', 'package.json'));
  const dir = path.join(path.dirname(require.resolve('bullmq')), 'scripts');
  for (const file of readdirSync(dir).filter((f) => /-\d+\.js$/.test(f))) {
    for (const def of Object.values(require(path.join(dir, file)) as Record<string, { name?: string; content?: string }>)) {
      if (def.name && def.content) add(def.content, `bullmq:${def.name}`);
    }
  }
  return names;
}

/**
 * Which script each command Redis executed belongs to, from MONITOR: Redis
 * feeds a script's EVALSHA to monitors before the calls it makes inside
 * (shown from `lua`), and runs one script at a time. MONITOR slows Redis
 * down, so a run with it attached is for attribution, not for rates.
 */
export class RedisMonitor {
  private readonly costs = new Map<string, { calls: number; inner: Map<string, number> }>();
  private current: { calls: number; inner: Map<string, number> } | undefined;

  private constructor(
    private readonly connection: Redis,
    private readonly names: Map<string, string>,
  ) {
    connection.on('monitor', (_time: string, args: string[], source: string) => this.onCommand(args, source));
  }

  static async attach(url: string): Promise<RedisMonitor> {
    // monitor() opens a connection of its own in monitor mode; this client never connects.
    return new RedisMonitor(await new Redis(url, { lazyConnect: true }).monitor(), scriptNames());
  }

  private entry(script: string) {
    let e = this.costs.get(script);
    if (!e) this.costs.set(script, (e = { calls: 0, inner: new Map() }));
    return e;
  }

  private onCommand(args: string[], source: string): void {
    const name = (args[0] ?? '').toLowerCase();
    if (source === 'lua') {
      if (this.current) this.current.inner.set(name, (this.current.inner.get(name) ?? 0) + 1);
      return;
    }
    if (name === 'evalsha' || name === 'eval') {
      const sha = name === 'eval' ? sha1(args[1] ?? '') : (args[1] ?? '');
      this.current = this.entry(this.names.get(sha) ?? `unknown:${sha.slice(0, 8)}`);
      this.current.calls += 1;
      return;
    }
    this.current = undefined;
    const plain = this.entry('plain');
    plain.inner.set(name, (plain.inner.get(name) ?? 0) + 1);
  }

  /** Forgets what was seen so far: the measured window starts here. */
  startWindow(): void {
    this.costs.clear();
    this.current = undefined;
  }

  /** Everything seen since startWindow, per turn, costliest first. */
  take(turns: number): ScriptCost[] {
    const per = (n: number) => Math.round((n / Math.max(1, turns)) * 100) / 100;
    const out = [...this.costs].map(([script, e]) => {
      const innerTotal = [...e.inner.values()].reduce((a, b) => a + b, 0);
      return {
        script,
        calls: per(e.calls),
        commands: per(e.calls + innerTotal),
        inner: Object.fromEntries([...e.inner].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)])),
      };
    });
    return out.sort((a, b) => b.commands - a.commands);
  }

  close(): void {
    this.connection.disconnect();
  }
}
