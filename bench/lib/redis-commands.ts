import type { Redis } from 'ioredis';

/** Calls per command from `INFO commandstats` (`cmdstat_evalsha:calls=12,...`), keyed by command name. */
export async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  return calls;
}

/** Commands that run a script: each is one round trip that executes many commands inside Redis. */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

export interface CommandsPerTurn {
  /** Every command Redis executed (a script's inner calls included, as INFO counts them). */
  commands: number;
  /** EVAL/EVALSHA/FCALL: the scripts' own round trips. */
  scripts: number;
  /** The ten most frequent commands, per turn. */
  top: Record<string, number>;
}

/**
 * Redis commands per turn between two `commandCalls` snapshots of a private
 * server. The bench's own reads (INFO, the audit XRANGE) fall in the window
 * too; they are a handful against thousands of turns.
 */
export function commandsPerTurn(before: Map<string, number>, after: Map<string, number>, turns: number): CommandsPerTurn | null {
  if (turns === 0) return null;
  const delta = [...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const).filter(([, n]) => n > 0);
  const per = (n: number) => Math.round((n / turns) * 10) / 10;
  const total = delta.reduce((sum, [, n]) => sum + n, 0);
  const scripts = delta.filter(([name]) => SCRIPT_COMMANDS.has(name)).reduce((sum, [, n]) => sum + n, 0);
  const top = Object.fromEntries(
    delta
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, n]) => [name, per(n)]),
  );
  return { commands: per(total), scripts: per(scripts), top };
}
