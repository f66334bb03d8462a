/**
 * `npm run dev`: the whole pipeline on this machine. Redis (REDIS_URL if it
 * answers, else a private redis-server), the fake Graph API in this process,
 * the ingress and one worker as child processes with their logs prefixed.
 * Secrets default to clearly fake dev-only values; the environment or a `.env`
 * file at the repo root override them. Ctrl-C stops everything.
 */
import { LogEvent } from '@medcita/shared';
import { DEFAULT_BUSINESS, FakeGraphApi } from '@medcita/testkit/simulator';
import path from 'node:path';
import { loadDotEnv } from '../stack/env-file.js';
import { formatServiceLine } from '../stack/log-format.js';
import { logMsg, NodeService, REPO_ROOT, type ServiceLine } from '@medcita/testkit';
import { maskRedisUrl, NoRedisError, resolveRedis, type RedisTarget } from '../stack/redis-target.js';
import { DEV_STATE_FILE, removeDevState, writeDevState } from './dev-state.js';

const DEV_ONLY = {
  WHATSAPP_APP_SECRET: 'dev-only-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'dev-only-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'dev-only-access-token',
} as const;

const color = process.stdout.isTTY === true;
const say = (line: string) => process.stdout.write(line + '\n');
const printLine = (name: string) => (line: ServiceLine) => say(formatServiceLine(name, line, { color }));

function portOf(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`dev: ${name}="${raw}" is not a port\n`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const fileEnv = loadDotEnv(path.join(REPO_ROOT, '.env'));
  const env: Record<string, string | undefined> = { ...fileEnv, ...process.env };
  const secrets = Object.fromEntries(Object.entries(DEV_ONLY).map(([name, fallback]) => [name, env[name] ?? fallback])) as Record<
    keyof typeof DEV_ONLY,
    string
  >;
  const defaulted = Object.keys(DEV_ONLY).filter((name) => env[name] === undefined);
  const ingressPort = portOf(env, 'PORT', 3000);
  const adminPort = portOf(env, 'ADMIN_PORT', 3001);
  const metricsPort = portOf(env, 'METRICS_PORT', 9464);
  const graphPort = portOf(env, 'FAKE_GRAPH_PORT', 8787);

  let redis: RedisTarget;
  try {
    redis = await resolveRedis({ url: env.REDIS_URL });
  } catch (err) {
    if (!(err instanceof NoRedisError)) throw err;
    process.stderr.write(`dev: cannot start: ${err.message}\n`);
    process.exit(1);
  }

  const services: NodeService[] = [];
  let graph: FakeGraphApi | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number) =>
    (stopping ??= (async () => {
      say('\ndev: stopping…');
      await Promise.allSettled([...services].reverse().map((s) => s.stop('SIGTERM')));
      await graph?.close().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      removeDevState(process.pid);
      say('dev: stopped');
      process.exit(code);
    })());
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    graph = await FakeGraphApi.start({ accessToken: secrets.WHATSAPP_ACCESS_TOKEN, port: graphPort });
  } catch (err) {
    process.stderr.write(`dev: fake Graph API cannot listen on ${graphPort} (${(err as Error).message}); set FAKE_GRAPH_PORT\n`);
    return stopAll(1);
  }
  // As Meta does: a signed "sent" status back to the ingress for every accepted reply.
  graph.sendStatusesTo({ url: `http://127.0.0.1:${ingressPort}/webhook`, appSecret: secrets.WHATSAPP_APP_SECRET });
  graph.on('sent', (r: { to: string; type: string; payload: Record<string, unknown> }) => {
    const text =
      (r.payload.text as { body?: string } | undefined)?.body ??
      (r.payload.interactive as { body?: { text?: string } } | undefined)?.body?.text ??
      '';
    say(`${'graph'.padEnd(8)} │ → …${r.to.slice(-4)} ${r.type}: ${text.replace(/\s+/g, ' ').slice(0, 100)}`);
  });

  const childEnv = {
    ...fileEnv,
    ...secrets,
    REDIS_URL: redis.url,
    GRAPH_API_URL: graph.url,
    PORT: String(ingressPort),
    ADMIN_PORT: String(adminPort),
    METRICS_PORT: String(metricsPort),
  };
  const watch = (s: NodeService) => {
    services.push(s);
    void s.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`dev: ${s.name} exited unexpectedly (${signal ?? code}); stopping everything\n`);
      void stopAll(1);
    });
  };
  try {
    const ingress = await NodeService.start({
      name: 'ingress',
      entry: 'ingress/src/main.ts',
      env: childEnv,
      ready: logMsg(LogEvent.IngressListening),
      onLine: printLine('ingress'),
    });
    watch(ingress);
    const worker = await NodeService.start({
      name: 'worker',
      entry: 'workers/src/main.ts',
      env: childEnv,
      ready: logMsg(LogEvent.WorkerReady),
      onLine: printLine('worker'),
      readyTimeoutMs: 120_000,
    });
    watch(worker);
  } catch (err) {
    process.stderr.write(`dev: ${(err as Error).message}\n`);
    return stopAll(1);
  }

  const ingressUrl = `http://127.0.0.1:${ingressPort}`;
  writeDevState({
    ingressUrl,
    fakeGraphUrl: graph.url,
    appSecret: secrets.WHATSAPP_APP_SECRET,
    phoneNumberId: DEFAULT_BUSINESS.phoneNumberId,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  say(
    [
      '',
      '──────────────────────────────────────────────────────────────',
      ' medcita dev stack is up',
      `   ingress      ${ingressUrl}/webhook   (health: /healthz, /readyz)`,
      `   inbox        http://127.0.0.1:${adminPort}/admin/inbox   ${env.OPERATORS || env.OPERATORS_FILE || env.ADMIN_AUTH === 'off' ? '' : '(set OPERATORS from `npm run operator:hash`, or ADMIN_AUTH=off, in .env)'}`,
      `   worker ops   http://127.0.0.1:${metricsPort}/metrics`,
      `   fake Graph   ${graph.url}/__sim/sent   (what the bot sent)`,
      `   Redis        ${maskRedisUrl(redis.url)} ${redis.source === 'private' ? '(private redis-server started by dev; data is thrown away on exit)' : '(already running)'}`,
      defaulted.length > 0
        ? `   DEV-ONLY secrets in use (not for production): ${defaulted.join(', ')}; override in the environment or .env`
        : '   secrets from the environment / .env',
      `   state file   ${path.relative(REPO_ROOT, DEV_STATE_FILE)} (read by npm run chat)`,
      '',
      ' Chat with the bot: run `npm run chat` in another terminal',
      '                   (`npm run chat -- --phone 59170000002` for another user).',
      ' Stop: Ctrl-C here.',
      '──────────────────────────────────────────────────────────────',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  process.stderr.write(`dev: fatal ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
