import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@medcita/testkit';

/** What `npm run dev` leaves for `npm run chat` to find the running stack (gitignored under .cache/). */
export interface DevStackState {
  ingressUrl: string;
  fakeGraphUrl: string;
  /** Dev-only secret the chat signs webhooks with. */
  appSecret: string;
  phoneNumberId: string;
  pid: number;
  startedAt: string;
}

export const DEV_STATE_FILE = path.join(REPO_ROOT, '.cache', 'dev-stack.json');

export function writeDevState(state: DevStackState, file = DEV_STATE_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

/** The state file's content, or undefined when missing, unreadable or left by a process that is gone. */
export function readDevState(file = DEV_STATE_FILE): DevStackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DevStackState;
    if (typeof state.ingressUrl !== 'string' || typeof state.appSecret !== 'string') return undefined;
    return processAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the file only if it still belongs to `pid` (another `npm run dev` may have replaced it). */
export function removeDevState(pid: number, file = DEV_STATE_FILE): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DevStackState;
    if (state.pid === pid) rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

function processAlive(pid: unknown): boolean {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
