/**
 * The soak's "Meta": the fake Graph API with the soak's faults, in its own
 * process. In the soak's process it shared an event loop with the load, the
 * ledger and the parsing of every worker's log line, and on a loaded machine
 * answered and reported sends up to ~30 s late, past the workers' timeout and
 * status wait, which then resent by design and showed as duplicate replies
 * the system did not make (docs/reliability.md).
 *
 * Configuration is one JSON object in SOAK_GRAPH (see `SoakGraphConfig`).
 * Prints `{"soakGraph":"ready","url":…}` once listening, then one
 * `{"sent":…}` line per accepted send (the soak's ledger reads them).
 * GET /__sim/counts gives the faults injected.
 */
import { FakeGraphApi, seededRng, type SentRecord } from '@medcita/testkit/simulator';

export interface SoakGraphConfig {
  accessToken: string;
  seed: number;
  /** Share of sends answered 429 or 500. */
  faultRate: number;
  /** Share of accepted sends answered `answerAfterMs` later, their `sent` status within `lateStatusMaxMs`. */
  answerLateRate: number;
  answerAfterMs: number;
  lateStatusMaxMs: number;
  /** Where statuses go (the ingress's /webhook), signed with `appSecret`. */
  statusUrl: string;
  appSecret: string;
  /** Share of messages whose statuses are held back 0.5–4.5 s. */
  lateStatusRate: number;
}

const raw = process.env.SOAK_GRAPH;
if (!raw) {
  process.stderr.write('soak-graph: SOAK_GRAPH (JSON configuration) is not set\n');
  process.exit(2);
}
const config = JSON.parse(raw) as SoakGraphConfig;
// Its own stream of draws: the soak's load keeps the seed's main stream.
const rng = seededRng(config.seed * 7_919 + 17);
const graph = await FakeGraphApi.start({ accessToken: config.accessToken });
graph.setRandomFaults(config.faultRate, [{ status: 429 }, { status: 500 }], rng);
graph.setRandomAnswerLate(
  config.answerLateRate,
  () => ({ answerAfterMs: config.answerAfterMs, statusAfterMs: Math.floor(rng() * config.lateStatusMaxMs) }),
  rng,
);
graph.sendStatusesTo({
  url: config.statusUrl,
  appSecret: config.appSecret,
  progress: true,
  retry: true,
  delayMs: () => (rng() < config.lateStatusRate ? 500 + Math.floor(rng() * 4_000) : 0),
});
graph.on('sent', (r: SentRecord) => process.stdout.write(`${JSON.stringify({ sent: r })}\n`));
// The fake's own record arrays would grow with the run; the soak keeps what its checks need.
setInterval(() => {
  graph.sent.length = 0;
  graph.requests.length = 0;
  graph.reads.length = 0;
}, 1_000).unref();
process.stdout.write(`${JSON.stringify({ soakGraph: 'ready', url: graph.url })}\n`);

const shutdown = () => {
  graph.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
