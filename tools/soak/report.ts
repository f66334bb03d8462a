import type { MachineInfo } from '../../bench/lib/machine.js';
import type { ChaosEvent } from './chaos.js';
import type { Violation, ViolationKind } from './ledger.js';
import type { DeliveryCounts } from './meta-sender.js';
import type { DialogOutcome } from './dialog-load.js';
import type { SoakOptions } from './soak-options.js';

/** What `npm run soak` writes (JSON) and prints (`summarize`). */
export interface SoakReport {
  tool: 'soak';
  date: string;
  options: Omit<SoakOptions, 'maxWorkerKills'> & { maxWorkerKills: number | null };
  machine: MachineInfo & { loadAverageAtEnd: number[] };
  redis: { version: string; persistence: string; ackDurability: string };
  figures: {
    messages: number;
    sessions: number;
    acknowledged: number;
    handled: number;
    turns: number;
    turnsSetAside: number;
    replies: number;
    loadSeconds: number;
    totalSeconds: number;
    messagesPerSecond: number;
    turnsPerSecond: number;
    redisMemory: { baselineBytes: number; peakBytes: number; endBytes: number; peakBytesPerMessage: number; endBytesPerMessage: number };
  };
  faults: {
    graph: {
      answered429: number;
      answered500: number;
      answeredLate: number;
      statusesPosted: number;
      statusesDelayed: number;
      statusRetries: number;
    };
    deliveries: DeliveryCounts;
    chaos: ChaosEvent[];
    workerKills: number;
    workerRestarts: number;
  };
  dialog?: DialogOutcome & { appointmentsStored: number };
  logs: { warningsByMessage: Record<string, number>; lastWarnings: string[] };
  violations: Record<ViolationKind, Violation>;
  totalViolations: number;
}

const VIOLATION_NAMES: Record<keyof SoakReport['violations'], string> = {
  lostAcknowledged: 'lost acknowledged messages',
  duplicateReplies: 'duplicate replies',
  orderViolations: 'per-session order violations',
  overlappingTurns: 'overlapping turns of one session',
  doubleBookings: 'double bookings',
  bookingMismatch: 'appointments stored ≠ bookings confirmed',
  nonJsonLogLines: 'log lines not in the JSON format (ingress and workers)',
};

/** The report as a person reads it: figures, each fault with its count, then every violation with evidence. */
export function summarize(r: SoakReport): string {
  const f = r.figures;
  const g = r.faults.graph;
  const d = r.faults.deliveries;
  const mem = f.redisMemory;
  const lines = [
    `soak ${r.date}: ${r.options.handler} handler, ${f.sessions} sessions, ${r.options.workers} workers, seed ${r.options.seed}`,
    `machine: ${r.machine.cores} cores, load average ${r.machine.loadAverageAtStart.join(' ')} at start, ${r.machine.loadAverageAtEnd.join(' ')} at end; redis ${r.redis.version} (${r.redis.persistence}; ${r.redis.ackDurability})`,
    '',
    `messages: ${f.acknowledged} acknowledged, ${f.handled} handled by ${f.turns} committed turns (${f.turnsSetAside} set aside with an apology), ${f.replies} replies accepted by the fake Graph API`,
    `throughput: ${f.messagesPerSecond} messages/s, ${f.turnsPerSecond} turns/s over ${f.loadSeconds} s of load (whole run ${f.totalSeconds} s)`,
    `redis memory: ${(mem.baselineBytes / 2 ** 20).toFixed(1)} MiB before, ${(mem.peakBytes / 2 ** 20).toFixed(1)} MiB peak, ${(mem.endBytes / 2 ** 20).toFixed(1)} MiB after: ${mem.peakBytesPerMessage} B/message at peak, ${mem.endBytesPerMessage} B/message kept`,
    '',
    'faults injected:',
    `  graph API: ${g.answered429} × 429, ${g.answered500} × 500 (each send retried by the worker); ${g.answeredLate} sends accepted but answered after the client timeout`,
    `  status webhooks: ${g.statusesPosted} posted (sent/delivered/read), ${g.statusesDelayed} messages' statuses held back 0.5–4.5 s, ${g.statusRetries} posts answered non-200 and retried`,
    `  deliveries: ${d.posts} POSTs, ${d.multiMessagePosts} with several messages; ${d.duplicatesSamePost} duplicates in the same POST, ${d.duplicatesOtherPost} in another POST; retried answers by status ${JSON.stringify(d.retriedByStatus)}`,
    `  workers: ${r.faults.workerKills} SIGKILLs, ${r.faults.workerRestarts} restarts`,
    ...r.faults.chaos
      .filter((e) => e.kind.startsWith('redis') || e.kind === 'worker-restart-failed')
      .map((e) => `  ${e.kind} at ${e.atS} s: ${e.detail}`),
  ];
  if (r.dialog) {
    lines.push(
      '',
      `dialog: ${r.dialog.booked}/${r.dialog.conversations} conversations booked, ${r.dialog.confirmationsSent} confirmations sent, ${r.dialog.appointmentsStored} appointments stored`,
      ...r.dialog.failures.map((x) => `  conversation did not finish: ${x}`),
    );
  }
  const warnings = Object.entries(r.logs.warningsByMessage).slice(0, 8);
  if (warnings.length > 0) lines.push('', 'warnings logged (count):', ...warnings.map(([m, n]) => `  ${n} × ${m}`));
  lines.push('', r.totalViolations === 0 ? 'violations: none' : `VIOLATIONS: ${r.totalViolations}`);
  for (const [kind, v] of Object.entries(r.violations) as [
    keyof SoakReport['violations'],
    SoakReport['violations'][keyof SoakReport['violations']],
  ][]) {
    if (kind.includes('ooking') && !r.dialog) continue;
    lines.push(`  ${VIOLATION_NAMES[kind]}: ${v.count}`);
    for (const e of v.evidence) lines.push(`    ${e}`);
  }
  if (r.totalViolations > 0 && r.logs.lastWarnings.length > 0)
    lines.push('', 'last warnings:', ...r.logs.lastWarnings.map((l) => `  ${l}`));
  return lines.join('\n');
}
