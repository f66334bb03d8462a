/**
 * `npm run bench:pipeline`: N sessions × M text messages through ingress →
 * workers (the turn handler as it is) → fake Graph API, for 1, 2 and 4 worker
 * processes, each on a fresh private redis-server.
 *
 *   npm run bench:pipeline -- [--sessions 100] [--messages 10] [--workers 1,2,4]
 *     [--concurrency 8] [--load closed|burst|booking] [--send-rate 1000 | --limited]
 *     [--handler dialog|echo] [--session-rate-limit 0] [--log-level info] [--timeout-s 120] [--out bench/results/pipeline.json]
 *     [--graph-429-rate 0.025] [--rate 200 --duration-s 30 --warmup-s 5] [--cpu-prof DIR]
 *
 * `--graph-429-rate p`: the fake Graph API answers each send with 130429
 * (number throughput exceeded) with probability p, to measure how the send
 * limiter copes with random throttling.
 *
 * `booking`: every session is a patient booking an appointment (hola →
 * document → specialty, half with a day or time preference → taps a slot →
 * asks the price → confirms → gracias, 7–8 turns; see
 * bench/lib/booking-conversation.ts), with the dialog and a seeded clinic.
 * `closed` (default): every session is a user who writes, waits for the bot's
 * answer, writes again; turns never coalesce, so turns/s is the pipeline's
 * rate with N users talking at once. `burst`: every message is posted as fast
 * as 16 connections allow (each session's in order) and rapid-fire messages
 * coalesce into fewer turns. `open`: an open loop: one message every 1/rate
 * seconds (`--rate` per second for `--duration-s`), round-robin over the
 * sessions, whatever the answers; with sessions ≥ 2 × rate a session's
 * previous message is long answered, so each message is one turn and the
 * latency is that of the offered rate, not of users queueing behind each other.
 * The first `--warmup-s` seconds at the same rate are not measured (their
 * latency is reported apart): a stack that has just started runs its first
 * seconds of traffic on cold code, and at 200/s on 2 cores the backlog they
 * build took most of a 20 s run to drain, which made p95 a measure of
 * start-up rather than of the offered rate.
 *
 * Where the time goes: Redis commands and script calls per turn (`INFO
 * commandstats` of the private server), CPU per turn of each process, and the
 * workers' event-loop delay (prom-client's histogram, restarted by a scrape
 * just before the measurement), and from the turn audit how long turns
 * waited for a worker (accepted→start) against how long they ran
 * (start→end), with the seconds of the run whose messages waited longest.
 *
 * Ack-to-reply latency: from the ingress's 200 for a message to the fake
 * Graph API receiving the first reply of the turn that handled it (a turn
 * marks its last message read before replying; see ReplyTracker), both read
 * on this process's clock. Turns/s comes from the turn audit stream
 * (`mc:audit`): turns / wall time. `--handler echo|dialog` sets TURN_HANDLER;
 * without it the workers run whatever workers/src/main.ts uses by default.
 */
import { content, inbound, WebhookSender, webhookBody, type ReadRecord, type SentRecord } from '@medcita/testkit/simulator';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@medcita/testkit';
import { measureCpu, processCpuMs, redisCpuMs, selfCpuProbe, type CpuProbe } from './lib/cpu.js';
import { machineInfo } from './lib/machine.js';
import { BENCH_SECRETS, PipelineStack } from './lib/pipeline-stack.js';
import { summarize, table, type Summary } from './lib/stats.js';
import { commandCalls, commandsPerTurn, type CommandsPerTurn } from './lib/redis-commands.js';
import { BookingConversation } from './lib/booking-conversation.js';
import { seedWithPatients } from '../e2e/support/conversation.js';
import type { InboundContent } from '@medcita/testkit/simulator';

/** All replies of the turn that answered the last message: sends until none arrived for 40 ms. */
async function turnReplies(all: () => SentRecord[], seen: number): Promise<SentRecord[]> {
  let count = all().length;
  for (let waited = 0; waited < 2_000; waited += 40) {
    await new Promise((r) => setTimeout(r, 40));
    const now = all().length;
    if (now === count && now > seen) break;
    count = now;
  }
  return all().slice(seen);
}

const { values: f } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100' },
    messages: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '8' },
    load: { type: 'string', default: 'closed' },
    'send-rate': { type: 'string' },
    limited: { type: 'boolean', default: false },
    parallel: { type: 'string', default: '16' },
    'log-level': { type: 'string', default: 'info' },
    'timeout-s': { type: 'string', default: '120' },
    handler: { type: 'string' },
    'session-rate-limit': { type: 'string', default: '0' },
    out: { type: 'string' },
    'graph-429-rate': { type: 'string', default: '0' },
    rate: { type: 'string', default: '200' },
    'duration-s': { type: 'string', default: '30' },
    'warmup-s': { type: 'string', default: '5' },
    'cpu-prof': { type: 'string' },
  },
});
const int = (name: string, v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${v}`);
  return n;
};
const SESSIONS = int('sessions', f.sessions, 1, 10_000);
const MESSAGES = int('messages', f.messages, 1, 1_000);
const WORKER_COUNTS = f.workers.split(',').map((w) => int('workers', w, 1, 16));
const CONCURRENCY = int('concurrency', f.concurrency, 1, 512);
const SEND_RATE = f.limited ? 80 : int('send-rate', f['send-rate'] ?? '1000', 1, 1000);
const SESSION_RATE_LIMIT = int('session-rate-limit', f['session-rate-limit'], 0, 100_000);
const PARALLEL = int('parallel', f.parallel, 1, 256);
const GRAPH_429_RATE = Number(f['graph-429-rate']);
if (!(GRAPH_429_RATE >= 0 && GRAPH_429_RATE < 1)) throw new Error(`--graph-429-rate must be in [0, 1), got ${f['graph-429-rate']}`);
const TIMEOUT_MS = int('timeout-s', f['timeout-s'], 5, 1_800) * 1000;
const LOAD =
  f.load === 'burst' || f.load === 'closed' || f.load === 'booking' || f.load === 'open'
    ? f.load
    : (() => {
        throw new Error('--load is closed, burst, booking or open');
      })();
const RATE = int('rate', f.rate, 1, 10_000);
const DURATION_S = int('duration-s', f['duration-s'], 1, 3_600);
/** --load open: seconds offered at the same rate before the measurement, reported apart (a cold stack's first seconds). */
const WARMUP_S = LOAD === 'open' ? int('warmup-s', f['warmup-s'], 0, 600) : 0;
const OUT = f.out ?? (SEND_RATE === 80 ? 'bench/results/pipeline-rate-80.json' : 'bench/results/pipeline.json');
const say = (s: string) => process.stdout.write(s + '\n');
if (f.handler !== undefined && f.handler !== 'dialog' && f.handler !== 'echo') throw new Error('--handler is dialog or echo');
/** What the simulated patients write, round-robin (the dialog answers each; the echo handler quotes it). */
const TEXTS = ['hola', 'quiero una cita', 'me duele el pecho', '1234567', 'que citas tengo', 'gracias', 'cancelar', 'ayuda'];

interface RunResult {
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
  /** The workers' event-loop delay over the measurement (ms, worst worker). */
  eventLoopDelayMs: { p50: number | null; p99: number | null; max: number | null };
  /** --load open: offered rate, how late the bench posted against its schedule (ms), and the warm-up's own latency. */
  open?: { offeredPerSec: number; postLagMs: Summary; warmupS: number; warmupAckToReplyMs?: Summary };
  /** --load booking: conversations that ended with a confirmed booking, appointments stored, and failures. */
  booking?: { sessions: number; booked: number; appointmentsStored: number; failures: string[] };
}

/**
 * Which message a reply answers, for any handler: each turn starts by marking
 * its batch's last message read (with the typing indicator), so a send to a
 * user answers every message of that user up to the last one marked read.
 * Only the first send of a turn counts (what the user sees first).
 */
class ReplyTracker {
  readonly ackAt = new Map<string, number>();
  readonly replyAt = new Map<string, number>();
  private readonly byWamid = new Map<string, { s: number; m: number }>();
  /** When the bench started posting each message (`s:m`), before the ingress answered. */
  private readonly postedAt = new Map<string, number>();
  private readonly readUpTo = new Map<number, number>();
  private readonly answeredUpTo = new Map<number, number>();
  private readonly lastSentAt = new Map<number, number>();
  private readonly waiters = new Map<string, () => void>();
  sends = 0;

  constructor(private readonly sessionOf: (to: string) => number | undefined) {}

  expect(wamid: string, s: number, m: number): void {
    this.byWamid.set(wamid, { s, m });
    this.postedAt.set(`${s}:${m}`, Date.now());
  }

  onRead(messageId: string): void {
    const msg = this.byWamid.get(messageId);
    if (!msg) return;
    this.readUpTo.set(msg.s, Math.max(msg.m, this.readUpTo.get(msg.s) ?? -1));
    // Mark-as-read is fire-and-forget, so a turn's reply can reach the fake Graph API
    // before its read call: a send to this user since the message was posted answers it.
    // (Since it was posted, not acknowledged: a fast turn sends its reply and its read
    // before this process has read the ingress's 200, and was then left unanswered
    // until the session's next message, a 2 s "latency" at 200 msgs/s over 400 sessions.)
    const lastSent = this.lastSentAt.get(msg.s);
    const posted = this.postedAt.get(`${msg.s}:${msg.m}`);
    if (lastSent !== undefined && posted !== undefined && lastSent >= posted) this.answer(msg.s, msg.m, lastSent);
  }

  onSent(record: SentRecord): void {
    this.sends += 1;
    const s = this.sessionOf(record.to);
    if (s === undefined) return;
    this.lastSentAt.set(s, record.receivedAt);
    this.answer(s, this.readUpTo.get(s) ?? -1, record.receivedAt);
  }

  private answer(s: number, upTo: number, at: number): void {
    for (let m = (this.answeredUpTo.get(s) ?? -1) + 1; m <= upTo; m++) {
      const key = `${s}:${m}`;
      this.replyAt.set(key, at);
      this.waiters.get(key)?.();
    }
    this.answeredUpTo.set(s, Math.max(upTo, this.answeredUpTo.get(s) ?? -1));
  }

  replied(s: number, m: number): Promise<void> {
    const key = `${s}:${m}`;
    return new Promise((resolve) => {
      if (this.replyAt.has(key)) return resolve();
      this.waiters.set(key, () => {
        this.waiters.delete(key);
        resolve();
      });
    });
  }
}

function perTurn(cpuPercent: Record<string, number | null>, wallMs: number, turns: number): Record<string, number | null> {
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

const BOUNDS = [25, 50, 100, 250, 500, 1000, 2000, 5000];
function histogram(values: number[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries([...BOUNDS.map((b) => [`<${b}`, 0]), [`>=${BOUNDS.at(-1)}`, 0]]);
  for (const v of values) {
    const b = BOUNDS.find((bound) => v < bound);
    out[b === undefined ? `>=${BOUNDS.at(-1)}` : `<${b}`]! += 1;
  }
  return out;
}

/** Ack→reply of the answered messages among `keys`; a reply read before its ack counts as 0 ms. */
function latenciesOf(tracker: ReplyTracker, keys: Iterable<string>): { latencies: number[]; replyBeforeAck: number } {
  let replyBeforeAck = 0;
  const latencies: number[] = [];
  for (const key of keys) {
    const reply = tracker.replyAt.get(key);
    if (reply === undefined) continue;
    const ms = reply - tracker.ackAt.get(key)!;
    if (ms < 0) replyBeforeAck += 1;
    latencies.push(Math.max(0, ms));
  }
  return { latencies, replyBeforeAck };
}

/** Messages grouped by the second (from t0) the ingress acked them; the three seconds with the worst p95 ack→reply. */
function slowestSeconds(tracker: ReplyTracker, keys: readonly string[], t0: number): { atS: number; messages: number; p95Ms: number }[] {
  const bySecond = new Map<number, number[]>();
  for (const key of keys) {
    const at = tracker.ackAt.get(key)!;
    const reply = tracker.replyAt.get(key);
    if (reply === undefined) continue;
    const second = Math.floor((at - t0) / 1000);
    bySecond.set(second, [...(bySecond.get(second) ?? []), Math.max(0, reply - at)]);
  }
  return [...bySecond]
    .map(([atS, ms]) => ({ atS, messages: ms.length, p95Ms: summarize(ms).p95 }))
    .sort((a, b) => b.p95Ms - a.p95Ms)
    .slice(0, 3);
}

async function runOnce(workers: number): Promise<RunResult> {
  const users = Array.from({ length: SESSIONS }, (_, s) => ({ waId: `5917${String(s).padStart(8, '0')}`, name: `Bench ${s}` }));
  // Booking conversations need a patient record whose phone is the sender's.
  const seed = LOAD === 'booking' ? seedWithPatients(users.map((u) => u.waId)) : undefined;
  const stack = await PipelineStack.start({
    workers,
    workerConcurrency: CONCURRENCY,
    sendRatePerSecond: SEND_RATE,
    logLevel: f['log-level'],
    // Written when the worker exits (SIGTERM at the end of the run): open in Chrome DevTools or speedscope.
    ...(f['cpu-prof'] ? { workerNodeArgs: ['--cpu-prof', '--cpu-prof-dir', path.resolve(f['cpu-prof'])] } : {}),
    workerEnv: {
      // Simulated users write faster than the per-session limit allows; 0 turns it off (flag to keep it).
      SESSION_RATE_LIMIT_PER_MINUTE: String(SESSION_RATE_LIMIT),
      ...(f.handler ? { TURN_HANDLER: f.handler } : {}),
      ...(seed ? { TURN_HANDLER: 'dialog', CLINIC_SEED_FILE: seed.file } : {}),
    },
  });
  try {
    if (GRAPH_429_RATE > 0) stack.graph.setRandomFaults(GRAPH_429_RATE, { status: 400, code: 130429 });
    const sender = new WebhookSender({ url: stack.ingressUrl, appSecret: BENCH_SECRETS.WHATSAPP_APP_SECRET });
    const sessionByWaId = new Map(users.map((u, s) => [u.waId, s]));
    const tracker = new ReplyTracker((to) => sessionByWaId.get(to));
    stack.graph.on('read', (r: ReadRecord) => tracker.onRead(r.messageId));
    stack.graph.on('sent', (r: SentRecord) => tracker.onSent(r));
    const sentTo = new Map<number, SentRecord[]>();
    stack.graph.on('sent', (r: SentRecord) => {
      const s = sessionByWaId.get(r.to);
      if (s !== undefined) sentTo.set(s, [...(sentTo.get(s) ?? []), r]);
    });
    let postRetries = 0;
    const post = async (s: number, m: number, body: InboundContent = content.text(TEXTS[(s + m) % TEXTS.length]!)) => {
      const item = inbound(users[s]!, body);
      tracker.expect(item.message.id, s, m);
      // Like Meta: a delivery that times out or gets a 5xx is sent again (same wamid, deduplicated).
      for (let attempt = 1; ; attempt++) {
        const res = await sender.post(webhookBody([item]), { timeoutMs: 10_000 }).catch((err: Error) => ({ status: 0, body: err.message }));
        if (res.status === 200) break;
        if (attempt === 3 || (res.status >= 400 && res.status < 500))
          throw new Error(`ingress answered ${res.status || JSON.stringify(res.body)} for message ${m} of session ${s}`);
        postRetries += 1;
      }
      tracker.ackAt.set(`${s}:${m}`, Date.now());
    };

    const conversations = seed ? seed.patients.map((p, s) => new BookingConversation(s, p.documentNumber)) : undefined;
    const deadline = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref());
    const openCount = RATE * DURATION_S;
    const total = LOAD === 'booking' ? 0 : LOAD === 'open' ? openCount : SESSIONS * MESSAGES;
    const postLag: number[] = [];
    const nextOpen = new Array<number>(SESSIONS).fill(0);
    let openSent = 0;
    /** `count` messages at RATE per second, round-robin over the sessions, whatever the answers. */
    const openLoop = async (count: number, lag: number[]) => {
      const pending: Promise<void>[] = [];
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        const due = start + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        lag.push(Math.max(0, performance.now() - due));
        const s = openSent++ % SESSIONS;
        const m = nextOpen[s]!++;
        pending.push(post(s, m).then(() => tracker.replied(s, m)));
      }
      await Promise.all(pending);
    };
    // The warm-up's messages are left out of every figure below but its own latency.
    const warmup = WARMUP_S > 0 ? await openLoop(RATE * WARMUP_S, []).then(() => latenciesOf(tracker, tracker.ackAt.keys())) : undefined;
    const warmKeys = new Set(tracker.ackAt.keys());
    const warmTurns = [...stack.turnsPerWorker];
    const drive = async () => {
      if (LOAD === 'open') return openLoop(openCount, postLag);
      if (LOAD === 'booking') {
        await Promise.all(
          conversations!.map(async (conv, s) => {
            let seen = 0;
            let replies: SentRecord[] = [];
            for (let m = 0; m < 16; m++) {
              const next = conv.next(replies);
              if (!next) return;
              await post(s, m, next);
              await tracker.replied(s, m);
              replies = await turnReplies(() => sentTo.get(s) ?? [], seen);
              seen += replies.length;
            }
          }),
        );
        return;
      }
      if (LOAD === 'closed') {
        await Promise.all(
          users.map(async (_, s) => {
            for (let m = 0; m < MESSAGES; m++) {
              await post(s, m);
              await tracker.replied(s, m);
            }
          }),
        );
        return;
      }
      // burst: each session posts in order without waiting for answers; at most PARALLEL requests in flight.
      let inFlight = 0;
      const slots: (() => void)[] = [];
      const take = async () => {
        while (inFlight >= PARALLEL) await new Promise<void>((r) => slots.push(r));
        inFlight += 1;
      };
      await Promise.all(
        users.map(async (_, s) => {
          for (let m = 0; m < MESSAGES; m++) {
            await take();
            try {
              await post(s, m);
            } finally {
              inFlight -= 1;
              slots.shift()?.();
            }
          }
        }),
      );
      await Promise.all(users.flatMap((_, s) => Array.from({ length: MESSAGES }, (__, m) => tracker.replied(s, m))));
    };

    const probes: CpuProbe[] = [
      { name: 'ingress', read: () => processCpuMs(stack.ingress.pid) },
      ...stack.workers.map((w) => ({ name: w.name, read: () => processCpuMs(w.pid) })),
      { name: 'redis', read: () => redisCpuMs(stack.redis) },
      selfCpuProbe('bench+fake graph'),
    ];
    const loopMetrics = ['nodejs_eventloop_lag_p50_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds'];
    await stack.workerMetrics(loopMetrics); // restarts the workers' event-loop histograms
    const callsBefore = await commandCalls(stack.redis);
    const t0 = Date.now();
    const {
      result: outcome,
      cpuPercent,
      wallMs: measuredMs,
    } = await measureCpu(probes, () => Promise.race([drive().then(() => 'done' as const), deadline]));
    const measured = [...tracker.ackAt.keys()].filter((key) => !warmKeys.has(key));
    const answered = measured.filter((key) => tracker.replyAt.has(key)).length;
    const wallMs = (outcome === 'done' ? Math.max(...measured.map((key) => tracker.replyAt.get(key)!)) : Date.now()) - t0;
    await new Promise((r) => setTimeout(r, 300)); // let the last turns' audit records land
    const callsAfter = await commandCalls(stack.redis);
    const loop = await stack.workerMetrics(loopMetrics);
    const worst = (name: string) => {
      const v = loop.map((m) => m[name]).filter((x): x is number => x !== undefined);
      return v.length ? Math.round(Math.max(...v) * 10_000) / 10 : null;
    };
    const audit = (await stack.auditTurns()).filter((t) => t.acceptedAt >= t0);
    const { latencies, replyBeforeAck } = latenciesOf(tracker, measured);
    const booking = conversations
      ? {
          sessions: conversations.length,
          booked: conversations.filter((c) => c.booked).length,
          appointmentsStored: await stack.redis.hlen('medcita:{clinic}:appointments'),
          failures: conversations.flatMap((c) => (c.failure ? [c.failure] : [])).slice(0, 5),
        }
      : undefined;
    return {
      ...(booking ? { booking } : {}),
      workers,
      messages: total || tracker.ackAt.size,
      answered,
      wallS: Math.round(wallMs) / 1000,
      turns: audit.length,
      sends: tracker.sends,
      turnsPerSec: Math.round((audit.length / wallMs) * 10_000) / 10,
      messagesPerSec: Math.round((answered / wallMs) * 10_000) / 10,
      ackToReplyMs: summarize(latencies),
      ackToReplyHistogram: histogram(latencies),
      replyBeforeAck,
      auditAcceptedToEndMs: summarize(audit.map((t) => t.endedAt - t.acceptedAt)),
      auditAcceptedToStartMs: summarize(audit.map((t) => t.startedAt - t.acceptedAt)),
      auditStartToEndMs: summarize(audit.map((t) => t.endedAt - t.startedAt)),
      slowestSeconds: slowestSeconds(tracker, measured, t0),
      turnsPerWorker: stack.turnsPerWorker.map((n, i) => n - (warmTurns[i] ?? 0)),
      cpuPercentOfOneCore: cpuPercent,
      cpuMsPerTurn: perTurn(cpuPercent, measuredMs, audit.length),
      sessionLockBusy: await stack.workerCounter('medcita_session_lock_busy_total'),
      postRetries,
      throttled: stack.graph.requests.filter((r) => r.errorCode === 130429).length,
      timedOut: outcome === 'timeout',
      redisPerTurn: commandsPerTurn(callsBefore, callsAfter, audit.length),
      eventLoopDelayMs: {
        p50: worst('nodejs_eventloop_lag_p50_seconds'),
        p99: worst('nodejs_eventloop_lag_p99_seconds'),
        max: worst('nodejs_eventloop_lag_max_seconds'),
      },
      ...(LOAD === 'open'
        ? {
            open: {
              offeredPerSec: RATE,
              postLagMs: summarize(postLag),
              warmupS: WARMUP_S,
              ...(warmup ? { warmupAckToReplyMs: summarize(warmup.latencies) } : {}),
            },
          }
        : {}),
    };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = machineInfo();
  say(
    `pipeline bench: ${machine.cores} cores; handler ${f.handler ?? 'default'}; ${SESSIONS} sessions × ${LOAD === 'open' ? `${RATE}/s for ${DURATION_S} s` : `${MESSAGES} messages`}, load ${LOAD}, workers ${WORKER_COUNTS.join('/')} ` +
      `(WORKER_CONCURRENCY ${CONCURRENCY}), SEND_RATE_PER_SECOND ${SEND_RATE}` +
      (SEND_RATE === 80
        ? ' (Meta default: the limiter caps replies at 80/s)'
        : ' (high enough not to be the bottleneck; --limited uses the default 80/s)'),
  );
  const runs: RunResult[] = [];
  for (const workers of WORKER_COUNTS) {
    say(`  ${workers} worker process(es)…`);
    const r = await runOnce(workers);
    runs.push(r);
    if (r.sessionLockBusy) say(`  ${r.sessionLockBusy} turn jobs found their session locked and were delayed`);
    if (r.postRetries) say(`  ${r.postRetries} webhook POSTs had to be retried (timeout or 5xx)`);
    if (r.throttled) say(`  ${r.throttled} sends answered 130429 by the fake Graph API (--graph-429-rate ${GRAPH_429_RATE})`);
    if (r.timedOut || r.answered < r.messages)
      say(`  WARNING: ${r.messages - r.answered} messages unanswered${r.timedOut ? ' (timed out)' : ''}`);
    if (r.open)
      say(
        `  open loop: offered ${r.open.offeredPerSec} msgs/s for ${DURATION_S} s after ${r.open.warmupS} s of warm-up` +
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
    if (r.booking) {
      say(
        `  bookings: ${r.booking.booked}/${r.booking.sessions} conversations ended booked; ${r.booking.appointmentsStored} appointments stored`,
      );
      for (const failure of r.booking.failures) say(`  conversation failed: ${failure}`);
    }
  }
  say('');
  say(
    table(
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
    ),
  );
  say(
    'latency = ingress 200 → fake Graph API receives the first reply of the turn that handled the message; turns/s = audit-stream turns / wall time',
  );
  const out = path.resolve(REPO_ROOT, OUT);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        benchmark: 'pipeline',
        command: `npm run bench:pipeline -- ${process.argv.slice(2).join(' ')}`.trim(),
        date: startedAt.toISOString(),
        loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
        machine,
        settings: {
          sessions: SESSIONS,
          messagesPerSession: MESSAGES,
          load: LOAD,
          ...(LOAD === 'open' ? { offeredPerSec: RATE, durationS: DURATION_S } : {}),
          workerConcurrency: CONCURRENCY,
          sendRatePerSecond: SEND_RATE,
          sessionRateLimitPerMinute: SESSION_RATE_LIMIT,
          graph429Rate: GRAPH_429_RATE,
          logLevel: f['log-level'],
          handler: f.handler ?? 'default of workers/src/main.ts (TURN_HANDLER unset)',
          redis: 'private redis-server per run',
        },
        runs,
      },
      null,
      2,
    ) + '\n',
  );
  say(`results written to ${path.relative(REPO_ROOT, out)}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:pipeline: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
