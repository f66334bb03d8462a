/**
 * `npm run bench:pipeline`: N sessions × M text messages through ingress →
 * workers (the turn handler as it is) → fake Graph API, for 1, 2 and 4 worker
 * processes, each on a fresh private redis-server.
 *
 *   npm run bench:pipeline -- [--sessions 100] [--messages 10] [--workers 1,2,4]
 *     [--concurrency 8] [--load closed|burst|booking] [--send-rate 1000 | --limited]
 *     [--handler dialog|echo] [--session-rate-limit 0] [--log-level info] [--timeout-s 120] [--out bench/results/pipeline.json]
 *     [--graph-429-rate 0.025] [--rate 200 --duration-s 30 --warmup-s 5] [--cpu-prof DIR] [--redis-monitor] [--built]
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
import { REPO_ROOT } from '@medcita/testkit';
import { measureCpu, processCpuMs, redisCpuMs, selfCpuProbe, type CpuProbe } from './lib/cpu.js';
import { machineInfo } from './lib/machine.js';
import { BENCH_SECRETS, PipelineStack } from './lib/pipeline-stack.js';
import { summarize } from './lib/stats.js';
import { commandCalls, commandsPerTurn } from './lib/redis-commands.js';
import { answeredAmong, histogram, ReplyTracker, slowestSeconds } from './lib/reply-tracker.js';
import { pipelineLoads } from './lib/pipeline-loads.js';
import { RedisMonitor } from './lib/redis-monitor.js';
import { perTurn, resultsTable, runLines, type RunResult } from './lib/pipeline-result.js';
import { BookingConversation } from './lib/booking-conversation.js';
import { seedWithPatients } from '../e2e/support/conversation.js';
import type { InboundContent } from '@medcita/testkit/simulator';
import {
  CONCURRENCY,
  DURATION_S,
  f,
  GRAPH_429_RATE,
  LOAD,
  MESSAGES,
  OUT,
  PARALLEL,
  RATE,
  SEND_RATE,
  SESSION_RATE_LIMIT,
  SESSIONS,
  TEXTS,
  TIMEOUT_MS,
  WARMUP_S,
  WORKER_COUNTS,
  runSettings,
} from './lib/pipeline-args.js';

const say = (s: string) => process.stdout.write(s + '\n');

async function runOnce(workers: number): Promise<RunResult> {
  const users = Array.from({ length: SESSIONS }, (_, s) => ({ waId: `5917${String(s).padStart(8, '0')}`, name: `Bench ${s}` }));
  // Booking conversations need a patient record whose phone is the sender's.
  const seed = LOAD === 'booking' ? seedWithPatients(users.map((u) => u.waId)) : undefined;
  const stack = await PipelineStack.start({
    workers,
    workerConcurrency: CONCURRENCY,
    sendRatePerSecond: SEND_RATE,
    logLevel: f['log-level'],
    built: f.built,
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
      if (s === undefined) return;
      const list = sentTo.get(s);
      if (list) list.push(r);
      else sentTo.set(s, [r]);
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
    const loads = pipelineLoads({
      post,
      tracker,
      sessions: SESSIONS,
      messages: MESSAGES,
      parallel: PARALLEL,
      rate: RATE,
      sentTo,
      ...(conversations ? { conversations } : {}),
    });
    // The warm-up's messages are left out of every figure below but its own latency.
    const warmup =
      WARMUP_S > 0 ? await loads.open(RATE * WARMUP_S, []).then(() => answeredAmong(tracker, tracker.ackAt.keys())) : undefined;
    const warmKeys = new Set(tracker.ackAt.keys());
    const warmTurns = [...stack.turnsPerWorker];
    const warmSends = tracker.sends;
    const drive = () => (LOAD === 'open' ? loads.open(openCount, postLag) : loads[LOAD]());

    const probes: CpuProbe[] = [
      { name: 'ingress', read: () => processCpuMs(stack.ingress.pid) },
      ...stack.workers.map((w) => ({ name: w.name, read: () => processCpuMs(w.pid) })),
      { name: 'redis', read: () => redisCpuMs(stack.redis) },
      selfCpuProbe('bench+fake graph'),
    ];
    const loopMetrics = ['nodejs_eventloop_lag_p50_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds'];
    await stack.workerMetrics(loopMetrics); // restarts the workers' event-loop histograms
    const monitor = f['redis-monitor'] ? await RedisMonitor.attach(stack.redisServer.url) : undefined;
    monitor?.startWindow();
    const callsBefore = await commandCalls(stack.redis);
    const t0 = Date.now();
    const {
      result: outcome,
      cpuPercent,
      wallMs: measuredMs,
    } = await measureCpu(probes, () => Promise.race([drive().then(() => 'done' as const), deadline]));
    const measured = [...tracker.ackAt.keys()].filter((key) => !warmKeys.has(key));
    const answered = answeredAmong(tracker, measured);
    const wallMs = (outcome === 'done' ? Math.max(...measured.map((key) => tracker.replyAt.get(key)!)) : Date.now()) - t0;
    await new Promise((r) => setTimeout(r, 300)); // let the last turns' audit records land
    const callsAfter = await commandCalls(stack.redis);
    const audit = (await stack.auditTurns()).filter((t) => t.acceptedAt >= t0);
    const byScript = monitor?.take(audit.length);
    monitor?.close();
    const loop = await stack.workerMetrics(loopMetrics);
    const worst = (name: string) => {
      const v = loop.map((m) => m[name]).filter((x): x is number => x !== undefined);
      return v.length ? Math.round(Math.max(...v) * 10_000) / 10 : null;
    };
    const latencies = answered.map((a) => a.ms);
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
      answered: answered.length,
      wallS: Math.round(wallMs) / 1000,
      turns: audit.length,
      sends: tracker.sends - warmSends,
      turnsPerSec: Math.round((audit.length / wallMs) * 10_000) / 10,
      messagesPerSec: Math.round((answered.length / wallMs) * 10_000) / 10,
      ackToReplyMs: summarize(latencies),
      ackToReplyHistogram: histogram(latencies),
      replyBeforeAck: answered.filter((a) => a.replyBeforeAck).length,
      auditAcceptedToEndMs: summarize(audit.map((t) => t.endedAt - t.acceptedAt)),
      auditAcceptedToStartMs: summarize(audit.map((t) => t.startedAt - t.acceptedAt)),
      auditStartToEndMs: summarize(audit.map((t) => t.endedAt - t.startedAt)),
      slowestSeconds: slowestSeconds(answered, t0),
      turnsPerWorker: stack.turnsPerWorker.map((n, i) => n - (warmTurns[i] ?? 0)),
      cpuPercentOfOneCore: cpuPercent,
      cpuMsPerTurn: perTurn(cpuPercent, measuredMs, audit.length),
      sessionLockBusy: await stack.workerCounter('medcita_session_lock_busy_total'),
      postRetries,
      throttled: stack.graph.requests.filter((r) => r.errorCode === 130429).length,
      timedOut: outcome === 'timeout',
      redisPerTurn: commandsPerTurn(callsBefore, callsAfter, audit.length),
      ...(byScript ? { redisPerTurnByScript: byScript } : {}),
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
              ...(warmup ? { warmupAckToReplyMs: summarize(warmup.map((a) => a.ms)) } : {}),
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
    for (const line of runLines(r, { durationS: DURATION_S, graph429Rate: GRAPH_429_RATE })) say(line);
  }
  say('');
  say(resultsTable(runs));
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
        settings: runSettings(),
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
