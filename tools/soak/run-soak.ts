import { seededRng, type SentRecord } from '@medcita/testkit/simulator';
import os from 'node:os';
import { seedWithPatients } from '../../e2e/support/conversation.js';
import { machineInfo } from '../../bench/lib/machine.js';
import type { SoakReport } from './report.js';
import type { SoakOptions } from './soak-options.js';
import { SoakWarnings } from './soak-warnings.js';
import { checkBookings } from './booking-check.js';
import { ChaosMonkey } from './chaos.js';
import { DIALOG_SLOTS, runDialogLoad, type DialogOutcome } from './dialog-load.js';
import { runEchoLoad } from './echo-load.js';
import { Ledger } from './ledger.js';
import { MetaSender, sessionOfWaId, soakUser } from './meta-sender.js';
import { SOAK_SECRETS, SoakStack } from './soak-stack.js';

export { DEFAULT_SOAK, type SoakOptions } from './soak-options.js';

/**
 * Recovery knobs of the workers: a dead worker's sessions free up in
 * seconds, so a soak sees many recoveries. The Graph API timeout and the
 * status wait stay near production's (10 s + 10 s): a loaded 2-core machine
 * answers slowly, and a status later than their sum is resent by design
 * (docs/architecture.md), which would read as a duplicate reply.
 */
const GRAPH_TIMEOUT_MS = 10_000;
const GRAPH_STATUS_WAIT_MS = 20_000;
const WORKER_ENV = {
  SESSION_LOCK_TTL_MS: '5000',
  JOB_STALLED_INTERVAL_MS: '2000',
  GRAPH_TIMEOUT_MS: String(GRAPH_TIMEOUT_MS),
  GRAPH_STATUS_WAIT_MS: String(GRAPH_STATUS_WAIT_MS),
  SEND_RATE_PER_SECOND: '1000',
  SESSION_RATE_LIMIT_PER_MINUTE: '0',
  WORKER_CONCURRENCY: '8',
};
/** After everything was answered, how long late duplicates get to show up: past every resend grace. */
const TAIL_MS = GRAPH_TIMEOUT_MS + GRAPH_STATUS_WAIT_MS + 3_000;

function offsetsFor(opts: SoakOptions): Int32Array {
  const offsets = new Int32Array(opts.sessions + 1);
  for (let s = 0; s < opts.sessions; s++) {
    const size =
      opts.handler === 'dialog' ? DIALOG_SLOTS : Math.floor(opts.messages / opts.sessions) + (s < opts.messages % opts.sessions ? 1 : 0);
    offsets[s + 1] = offsets[s]! + size;
  }
  return offsets;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs one soak: the stack, the load, the chaos and the checks. `say` gets
 * progress lines. The report lists every violation with evidence.
 */
export async function runSoak(opts: SoakOptions, say: (line: string) => void = () => undefined): Promise<SoakReport> {
  const started = new Date();
  const machine = machineInfo();
  const rng = seededRng(opts.seed);
  const offsets = offsetsFor(opts);
  const ledger = new Ledger(offsets[opts.sessions]!, offsets);
  const warnings = new SoakWarnings();

  const seed = opts.handler === 'dialog' ? seedWithPatients(Array.from({ length: opts.sessions }, (_, s) => soakUser(s).waId)) : undefined;
  say(`starting redis (AOF${opts.ackDurability === 'replica' ? ' + replica' : ''}), fake Graph API, ingress and ${opts.workers} workers`);
  const dialogReplies = new Map<number, SentRecord[]>();
  const stack = await SoakStack.start({
    workers: opts.workers,
    ackDurability: opts.ackDurability,
    workerEnv: { ...WORKER_ENV, ...(seed ? { TURN_HANDLER: 'dialog', CLINIC_SEED_FILE: seed.file } : { TURN_HANDLER: 'echo' }) },
    graph: {
      seed: opts.seed,
      faultRate: opts.graphFaultRate,
      answerLateRate: opts.answerLateRate,
      answerAfterMs: GRAPH_TIMEOUT_MS + 1_500,
      lateStatusMaxMs: 3_000,
      lateStatusRate: opts.lateStatusRate,
    },
    onSent: (r) => {
      ledger.onSent(r, sessionOfWaId, opts.handler === 'echo');
      if (opts.handler === 'dialog') {
        const s = sessionOfWaId(r.to);
        if (s !== undefined) dialogReplies.set(s, [...(dialogReplies.get(s) ?? []), r]);
      }
    },
    onLog: warnings.onLog,
    onStrayLine: (service, line) => ledger.record('nonJsonLogLines', `${service} ${line.stream}: ${line.raw.slice(0, 300)}`),
  });
  let stopLoad = false;
  const chaos = new ChaosMonkey(stack, rng, say);
  try {
    const redisVersion = await stack.redisVersion();
    let auditing = true;
    const auditLoop = (async () => {
      while (auditing) {
        const batch = await stack.redis.xread('COUNT', 5_000, 'STREAMS', 'mc:audit', ledger.auditLastId).catch(() => null);
        const entries = batch?.[0]?.[1] ?? [];
        for (const [id, flat] of entries) {
          const f: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
          ledger.onAudit(id, f);
        }
        if (entries.length < 5_000) await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const baselineBytes = await stack.usedMemory();
    let peakBytes = baselineBytes;
    const sampler = setInterval(() => {
      void stack.usedMemory().then(
        (b) => (peakBytes = Number.isFinite(b) ? Math.max(peakBytes, b) : peakBytes),
        () => undefined,
      );
    }, 1_000);

    const sender = new MetaSender(stack.ingressUrl, SOAK_SECRETS.WHATSAPP_APP_SECRET, ledger, rng);
    const expected = opts.handler === 'dialog' ? opts.sessions * 7 : ledger.messages;
    chaos.start({
      killEveryMs: opts.killEveryMs,
      maxWorkerKills: opts.maxWorkerKills,
      redisRestartAt: opts.redisRestart ? () => ledger.ackedCount >= expected / 3 : undefined,
      redisKillAt: opts.redisKill ? () => ledger.ackedCount >= (2 * expected) / 3 : undefined,
    });
    const shown = new Map<string, number>();
    const progress = setInterval(() => {
      if (chaos.failure) stopLoad = true;
      say(
        `acked ${ledger.ackedCount}/${expected}, handled ${ledger.consumedCount}, turns ${ledger.turnCount}, replies ${ledger.repliesSeen}, violations ${ledger.totalViolations}, load ${os.loadavg()[0]!.toFixed(2)}`,
      );
      // Evidence as it is found, so a long run can be diagnosed while it goes on.
      for (const [kind, v] of Object.entries(ledger.violations)) {
        for (const e of v.evidence.slice(shown.get(kind) ?? 0)) say(`  violation (${kind}): ${e}`);
        shown.set(kind, v.evidence.length);
      }
    }, 10_000);
    const loadStarted = Date.now();
    const deadline = loadStarted + opts.timeoutMs;
    const timer = setTimeout(() => (stopLoad = true), opts.timeoutMs);
    let dialog: DialogOutcome | undefined;
    if (opts.handler === 'dialog') {
      dialog = await runDialogLoad(
        ledger,
        sender,
        seed!.patients.map((p) => p.documentNumber),
        (s) => dialogReplies.get(s) ?? [],
        rng,
        {
          parallel: opts.parallel,
          duplicateRate: opts.duplicateRate,
          shouldStop: () => stopLoad,
        },
      );
    } else {
      await runEchoLoad(ledger, sender, rng, {
        parallel: opts.parallel,
        duplicateRate: opts.duplicateRate,
        window: 50 * opts.workers * 8,
        shouldStop: () => stopLoad,
      });
    }
    say(`load done: ${ledger.ackedCount} messages acknowledged; waiting for every one to be handled`);
    // Handled: consumed by a committed turn; with echo, also echoed in a reply.
    const done = () => ledger.consumedCount >= ledger.ackedCount && (opts.handler !== 'echo' || ledger.answeredCount >= ledger.ackedCount);
    while (!done() && Date.now() < deadline && !chaos.failure) await new Promise((r) => setTimeout(r, 100));
    if (chaos.failure) throw new Error(`the soak stopped: ${chaos.failure}`);
    const loadSeconds = (Date.now() - loadStarted) / 1_000;
    clearTimeout(timer);
    await chaos.stop();
    say(`all handled after ${loadSeconds.toFixed(0)} s; watching ${TAIL_MS / 1000} s more for late duplicates`);
    await new Promise((r) => setTimeout(r, TAIL_MS));
    auditing = false;
    await auditLoop;
    clearInterval(progress);
    clearInterval(sampler);
    const endBytes = await stack.usedMemory();

    warnings.annotateDuplicates(ledger);
    ledger.checkLost();
    ledger.checkTurns();
    const appointmentsStored = dialog ? await checkBookings(stack.redis, ledger, dialog.confirmationsSent) : 0;

    const totalSeconds = (Date.now() - started.getTime()) / 1_000;
    const handled = ledger.consumedCount;
    const c = await stack.graphCounts();
    const { maxWorkerKills, ...rest } = opts;
    return {
      tool: 'soak',
      date: started.toISOString(),
      options: { ...rest, maxWorkerKills: Number.isFinite(maxWorkerKills) ? maxWorkerKills : null },
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
      redis: {
        version: redisVersion,
        persistence: 'AOF, appendfsync everysec',
        ackDurability:
          opts.ackDurability === 'replica'
            ? 'REDIS_ACK_DURABILITY=replica (WAIT for 1 replica); aof needs Redis >= 7.2'
            : 'REDIS_ACK_DURABILITY=none',
      },
      figures: {
        messages: ledger.messages,
        sessions: opts.sessions,
        acknowledged: ledger.ackedCount,
        handled,
        turns: ledger.turnCount,
        turnsSetAside: ledger.droppedTurns,
        replies: ledger.repliesSeen,
        loadSeconds: round(loadSeconds),
        totalSeconds: round(totalSeconds),
        messagesPerSecond: round(handled / loadSeconds),
        turnsPerSecond: round(ledger.turnCount / loadSeconds),
        redisMemory: {
          baselineBytes,
          peakBytes,
          endBytes,
          peakBytesPerMessage: Math.round((peakBytes - baselineBytes) / Math.max(1, handled)),
          endBytesPerMessage: Math.round((endBytes - baselineBytes) / Math.max(1, handled)),
        },
      },
      faults: {
        graph: {
          answered429: c.faults[429] ?? 0,
          answered500: c.faults[500] ?? 0,
          answeredLate: c.answeredLate,
          statusesPosted: c.statusesPosted,
          statusesDelayed: c.statusesDelayed,
          statusRetries: c.statusRetries,
        },
        deliveries: sender.counts,
        chaos: chaos.events,
        workerKills: chaos.kills,
        workerRestarts: chaos.restarts,
      },
      ...(dialog ? { dialog: { ...dialog, appointmentsStored } } : {}),
      logs: { warningsByMessage: Object.fromEntries([...warnings.byMessage].sort((a, b) => b[1] - a[1])), lastWarnings: warnings.last },
      violations: ledger.violations,
      totalViolations: ledger.totalViolations,
    };
  } finally {
    stopLoad = true;
    await chaos.stop();
    await stack.stop();
  }
}
