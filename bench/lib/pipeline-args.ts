import { parseArgs } from 'node:util';

/** bench:pipeline's command line (see the usage in pipeline.bench.ts), checked once: a bad flag stops the run before any process starts. */
export const { values: f } = parseArgs({
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
    'redis-monitor': { type: 'boolean', default: false },
    built: { type: 'boolean', default: false },
  },
});
const int = (name: string, v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${v}`);
  return n;
};
export const SESSIONS = int('sessions', f.sessions, 1, 10_000);
export const MESSAGES = int('messages', f.messages, 1, 1_000);
export const WORKER_COUNTS = f.workers.split(',').map((w) => int('workers', w, 1, 16));
export const CONCURRENCY = int('concurrency', f.concurrency, 1, 512);
export const SEND_RATE = f.limited ? 80 : int('send-rate', f['send-rate'] ?? '1000', 1, 1000);
export const SESSION_RATE_LIMIT = int('session-rate-limit', f['session-rate-limit'], 0, 100_000);
export const PARALLEL = int('parallel', f.parallel, 1, 256);
export const GRAPH_429_RATE = Number(f['graph-429-rate']);
if (!(GRAPH_429_RATE >= 0 && GRAPH_429_RATE < 1)) throw new Error(`--graph-429-rate must be in [0, 1), got ${f['graph-429-rate']}`);
export const TIMEOUT_MS = int('timeout-s', f['timeout-s'], 5, 1_800) * 1000;
export const LOAD =
  f.load === 'burst' || f.load === 'closed' || f.load === 'booking' || f.load === 'open'
    ? f.load
    : (() => {
        throw new Error('--load is closed, burst, booking or open');
      })();
export const RATE = int('rate', f.rate, 1, 10_000);
export const DURATION_S = int('duration-s', f['duration-s'], 1, 3_600);
/** --load open: seconds offered at the same rate before the measurement, reported apart (a cold stack's first seconds). */
export const WARMUP_S = LOAD === 'open' ? int('warmup-s', f['warmup-s'], 0, 600) : 0;
export const OUT = f.out ?? (SEND_RATE === 80 ? 'bench/results/pipeline-rate-80.json' : 'bench/results/pipeline.json');
if (f.handler !== undefined && f.handler !== 'dialog' && f.handler !== 'echo') throw new Error('--handler is dialog or echo');
/** What the simulated patients write, round-robin (the dialog answers each; the echo handler quotes it). */
export const TEXTS = ['hola', 'quiero una cita', 'me duele el pecho', '1234567', 'que citas tengo', 'gracias', 'cancelar', 'ayuda'];

/** The settings a results file records, so a run can be read and repeated. */
export function runSettings(): Record<string, unknown> {
  return {
    sessions: SESSIONS,
    messagesPerSession: MESSAGES,
    load: LOAD,
    ...(LOAD === 'open' ? { offeredPerSec: RATE, durationS: DURATION_S, warmupS: WARMUP_S } : {}),
    workerConcurrency: CONCURRENCY,
    sendRatePerSecond: SEND_RATE,
    sessionRateLimitPerMinute: SESSION_RATE_LIMIT,
    graph429Rate: GRAPH_429_RATE,
    logLevel: f['log-level'],
    handler: f.handler ?? 'default of workers/src/main.ts (TURN_HANDLER unset)',
    code: f.built ? 'compiled (npm run build), plain node' : 'TypeScript sources through tsx',
    redis: 'private redis-server per run',
  };
}
