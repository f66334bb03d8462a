import type { CommandsPerTurn } from './redis-commands.js';
import type { ScriptCost } from './redis-monitor.js';
import { table, type Summary } from './stats.js';

export interface RunResult {
  workers: number;
  messages: number;
  answered: number;
  wallS: number;
  turns: number;
  sends: number;
  turnsPerSec: number;
  messagesPerSec: number;
  ackToReplyMs: Summary;
  /** Count of ack-to-reply latencies below each bound (ms); the last bucket is everything slower. */
  ackToReplyHistogram: Record<string, number>;
  /** Replies that reached the fake Graph API before the bench read the 200 (counted as 0 ms). */
  replyBeforeAck: number;
  auditAcceptedToEndMs: Summary;
  /** Where the audit's accepted→end goes: waiting for a worker to start the turn, then the turn itself. */
  auditAcceptedToStartMs: Summary;
  auditStartToEndMs: Summary;
  /** The three seconds of the run whose messages waited longest (p95 ack→reply of the messages acked in that second). */
  slowestSeconds: { atS: number; messages: number; p95Ms: number }[];
  turnsPerWorker: number[];
  cpuPercentOfOneCore: Record<string, number | null>;
  /** CPU time per turn, by role (all workers summed): steadier than turns/s on a busy machine. */
  cpuMsPerTurn: Record<string, number | null>;
  /** Turn jobs that found their session locked and stepped aside as delayed (worker metric). */
  sessionLockBusy: number | null;
  /** Webhook POSTs retried after a timeout or 5xx (the way Meta redelivers). */
  postRetries: number;
  /** Sends the fake Graph API answered with 130429 (--graph-429-rate). */
  throttled: number;
  timedOut: boolean;
  /** Redis commands and script calls per turn, from INFO commandstats. */
  redisPerTurn: CommandsPerTurn | null;
  /** --redis-monitor: the same per script (MONITOR slows Redis: read the rates of such a run with care). */
  redisPerTurnByScript?: ScriptCost[];
  /** The workers' event-loop delay over the measurement (ms, worst worker). */
  eventLoopDelayMs: { p50: number | null; p99: number | null; max: number | null };
  /** --load open: offered rate, how late the bench posted against its schedule (ms), and the warm-up's own latency. */
  open?: { offeredPerSec: number; postLagMs: Summary; warmupS: number; warmupAckToReplyMs?: Summary };
  /** --load booking: conversations that ended with a confirmed booking, appointments stored, and failures. */
  booking?: { sessions: number; booked: number; appointmentsStored: number; failures: string[] };
}

export function perTurn(cpuPercent: Record<string, number | null>, wallMs: number, turns: number): Record<string, number | null> {
  const roles: Record<string, number | null> = {};
  for (const [name, pct] of Object.entries(cpuPercent)) {
    const role = name.startsWith('worker-') ? 'workers' : name;
    const ms = pct === null ? null : (pct / 100) * wallMs;
    roles[role] = ms === null || roles[role] === null ? null : (roles[role] ?? 0) + ms;
  }
  return Object.fromEntries(
    Object.entries(roles).map(([k, v]) => [k, v === null || turns === 0 ? null : Math.round((v / turns) * 100) / 100]),
  );
}

/** What one run's summary says beyond the table: retries, warnings, the open loop, the audit split, Redis, bookings. */
export function runLines(r: RunResult, ctx: { durationS: number; graph429Rate: number }): string[] {
  const lines: string[] = [];
  const say = (line: string) => lines.push(line);
  if (r.sessionLockBusy) say(`  ${r.sessionLockBusy} turn jobs found their session locked and were delayed`);
  if (r.postRetries) say(`  ${r.postRetries} webhook POSTs had to be retried (timeout or 5xx)`);
  if (r.throttled) say(`  ${r.throttled} sends answered 130429 by the fake Graph API (--graph-429-rate ${ctx.graph429Rate})`);
  if (r.timedOut || r.answered < r.messages)
    say(`  WARNING: ${r.messages - r.answered} messages unanswered${r.timedOut ? ' (timed out)' : ''}`);
  if (r.open)
    say(
      `  open loop: offered ${r.open.offeredPerSec} msgs/s for ${ctx.durationS} s after ${r.open.warmupS} s of warm-up` +
        (r.open.warmupAckToReplyMs
          ? ` (warm-up ack→reply p50/p95 ${r.open.warmupAckToReplyMs.p50}/${r.open.warmupAckToReplyMs.p95} ms)`
          : '') +
        `; posts behind schedule p50 ${r.open.postLagMs.p50} ms, p99 ${r.open.postLagMs.p99} ms`,
    );
  say(
    `  audit accepted→start p50/p95 ${r.auditAcceptedToStartMs.p50}/${r.auditAcceptedToStartMs.p95} ms, start→end ${r.auditStartToEndMs.p50}/${r.auditStartToEndMs.p95} ms; ` +
      `slowest seconds (s: p95 ms): ${r.slowestSeconds.map((w) => `${w.atS}: ${w.p95Ms}`).join(', ')}`,
  );
  if (r.redisPerTurn)
    say(
      `  Redis per turn: ${r.redisPerTurn.commands} commands, ${r.redisPerTurn.scripts} script calls; top: ${Object.entries(
        r.redisPerTurn.top,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  for (const c of r.redisPerTurnByScript ?? [])
    say(
      `    ${c.script}: ${c.calls} calls, ${c.commands} commands per turn (${Object.entries(c.inner)
        .slice(0, 6)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
  if (r.booking) {
    say(
      `  bookings: ${r.booking.booked}/${r.booking.sessions} conversations ended booked; ${r.booking.appointmentsStored} appointments stored`,
    );
    for (const failure of r.booking.failures) say(`  conversation failed: ${failure}`);
  }
  return lines;
}

/** One row per run: rates, latency, and where the CPU and the Redis commands went. */
export function resultsTable(runs: RunResult[]): string {
  return table(
    [
      'workers',
      'turns',
      'turns/s',
      'msgs/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'turns per worker',
      'CPU ms per turn',
      'Redis cmds / scripts per turn',
      'worker loop delay p50/p99 ms',
      'CPU (% of one core)',
    ],
    runs.map((r) => [
      r.workers,
      r.turns,
      r.turnsPerSec,
      r.messagesPerSec,
      r.ackToReplyMs.p50,
      r.ackToReplyMs.p95,
      r.ackToReplyMs.p99,
      r.ackToReplyMs.max,
      r.turnsPerWorker.join('/'),
      Object.entries(r.cpuMsPerTurn)
        .map(([k, v]) => `${k} ${v ?? '?'}`)
        .join(', '),
      r.redisPerTurn ? `${r.redisPerTurn.commands} / ${r.redisPerTurn.scripts}` : '?',
      `${r.eventLoopDelayMs.p50 ?? '?'}/${r.eventLoopDelayMs.p99 ?? '?'}`,
      Object.entries(r.cpuPercentOfOneCore)
        .map(([k, v]) => `${k} ${v ?? '?'}`)
        .join(', '),
    ]),
  );
}
