import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Kills `child` when this process exits, if it is still running. A suite
 * whose setup hook times out never reaches its teardown, and Jest's
 * forceExit would otherwise leave the workers and redis-servers it started
 * running, loading the machine for every later test.
 */
export function killOnExit(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}
