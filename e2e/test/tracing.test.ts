/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, one trace follows a message from
 * Meta's webhook through the ingress, the BullMQ job and the worker's turn to
 * the Graph API reply, and nothing in it names the patient.
 */
import { LogEvent } from '@medcita/shared';
import {
  freePort,
  logMsg,
  NodeService,
  REPO_ROOT,
  type ServiceLine,
  type RedisServerHandle,
  startRedisServer,
  waitUntil,
} from '@medcita/testkit';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { content, FakeGraphApi, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { OtlpCollector, type CollectedSpan } from '../support/otlp-collector.js';

const APP_SECRET = 'tracing-app-secret';
const ACCESS_TOKEN = 'tracing-access-token';
const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

describe('tracing over OTLP/HTTP', () => {
  let redis: RedisServerHandle;
  let graph: FakeGraphApi;
  let collector: OtlpCollector;
  const services: NodeService[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    graph = await FakeGraphApi.start({ accessToken: ACCESS_TOKEN });
    collector = await OtlpCollector.start();
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    await graph.close();
    await collector.close();
    await redis.stop();
  });

  it('one trace runs from the webhook through the job and the turn to the Graph API call, without the patient in it', async () => {
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '50' };
    const ingress = await NodeService.start({
      name: 'ingress',
      entry: 'ingress/src/main.ts',
      env: {
        ...otel,
        REDIS_URL: redis.url,
        PORT: '0',
        ADMIN_PORT: '0',
        ADMIN_AUTH: 'off',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: 'v',
      },
      ready: logMsg(LogEvent.IngressListening),
    });
    services.push(ingress);
    const worker = await NodeService.start({
      name: 'worker',
      entry: 'workers/src/main.ts',
      // The echo handler quotes the message in its reply: the Graph request body carries the text.
      env: {
        ...otel,
        REDIS_URL: redis.url,
        TURN_HANDLER: 'echo',
        WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        GRAPH_API_URL: graph.url,
        METRICS_PORT: '0',
      },
      ready: logMsg(LogEvent.WorkerReady),
    });
    services.push(worker);

    const user = simUser(4242);
    const text = 'hola, mi documento es 7654321';
    const port = ingress.readyLine!.json!.port as number;
    const sender = new WebhookSender({ url: `http://127.0.0.1:${port}/webhook`, appSecret: APP_SECRET });
    expect((await sender.post(webhookBody([inbound(user, content.text(text))]))).status).toBe(200);
    await graph.waitForSent(1, 30_000);

    const graphCall = (s: CollectedSpan) => s.kind === SPAN_KIND.client && String(s.attributes['url.full']).endsWith('/messages');
    // Each process exports on its own schedule, and the turn and the job's processing end after the send they contain.
    const processed = (s: CollectedSpan) => s.service === 'medcita-worker' && s.kind === SPAN_KIND.consumer;
    const delivered = (s: CollectedSpan) => s.service === 'medcita-ingress' && s.kind === SPAN_KIND.server;
    await waitUntil(
      () => [graphCall, processed, delivered].every((p) => collector.spans.some(p)),
      30_000,
      'the webhook, job and Graph API spans reached the collector',
    );

    const webhook = collector.spans.find(delivered)!;
    const trace = collector.spans.filter((s) => s.traceId === webhook.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (s: CollectedSpan): CollectedSpan[] => {
      const parent = byId.get(s.parentSpanId);
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    const enqueue = trace.find((s) => s.service === 'medcita-ingress' && s.kind === SPAN_KIND.producer);
    const processing = trace.find(processed);
    const turn = trace.find((s) => s.service === 'medcita-worker' && s.name === 'turn');
    const send = trace.find(graphCall);
    expect({ enqueue: enqueue?.name, processing: processing?.name, turn: turn?.name, send: send?.name }).toEqual({
      enqueue: 'add turns.session-turn',
      processing: 'process turns',
      turn: 'turn',
      send: 'POST',
    });
    // Parent links, not only a shared trace id: the worker's turn hangs under the webhook, the send under the turn.
    expect(ancestors(processing!)).toContain(enqueue);
    expect(ancestors(enqueue!)).toContain(webhook);
    expect(ancestors(turn!)).toContain(processing);
    expect(ancestors(send!)).toContain(turn);
    // Redis commands show as their name alone: their keys hold the session (business number and wa_id).
    expect(trace.filter((s) => s.attributes['db.system.name'] === 'redis').length).toBeGreaterThan(0);

    // The business number stays in the Graph URL's shape only; the patient never appears.
    expect(send!.attributes['url.full']).toBe(`${graph.url}/v23.0/{id}/messages`);
    const everything = collector.rawBodies.join('\n');
    expect(everything).not.toContain(user.waId);
    expect(everything).not.toContain('7654321');
    expect(everything).not.toContain('hola');
    expect(turn!.attributes['medcita.session']).toMatch(/^[0-9a-f]{16}$/);

    // The admin port's URLs name the patient (the inbox addresses conversations by wa_id): never traced, nor are probes.
    const adminPort = ingress.readyLine!.json!.adminPort as number;
    const before = collector.spans.length;
    await fetch(`http://127.0.0.1:${port}/readyz`);
    await fetch(`http://127.0.0.1:${adminPort}/admin/inbox/c/${user.waId}`);
    expect((await sender.post(webhookBody([inbound(user, content.text('otra vez'))]))).status).toBe(200);
    await waitUntil(
      () => collector.spans.slice(before).filter((s) => s.kind === SPAN_KIND.server).length >= 1,
      30_000,
      'second webhook span',
    );
    await graph.waitForSent(2, 30_000);
    expect(
      collector.spans
        .slice(before)
        .filter((s) => s.kind === SPAN_KIND.server)
        .map((s) => s.attributes['url.path']),
    ).toEqual(['/webhook']);
    expect(collector.rawBodies.join('\n')).not.toContain(user.waId);
  });

  it('a collector that is down is reported in one JSON warning naming the variable, not silently', async () => {
    const lines: ServiceLine[] = [];
    const ingress = await NodeService.start({
      name: 'ingress',
      entry: 'ingress/src/main.ts',
      env: {
        // Nothing listens there.
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        REDIS_URL: redis.url,
        PORT: '0',
        ADMIN_PORT: '0',
        ADMIN_AUTH: 'off',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: 'v',
      },
      ready: logMsg(LogEvent.IngressListening),
      onLine: (line) => lines.push(line),
    });
    services.push(ingress);
    const sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.readyLine!.json!.port as number}/webhook`, appSecret: APP_SECRET });
    for (let i = 0; i < 3; i++) expect((await sender.post(webhookBody([inbound(simUser(77), content.text('hola'))]))).status).toBe(200);
    const failed = () => lines.filter((l) => /trace export failed/.test(l.raw));
    await waitUntil(() => failed().length > 0, 30_000, 'the export failure was logged');
    const warning = failed()[0]!.json!;
    expect(warning).toMatchObject({ level: 40, service: 'ingress', component: 'tracing', failedExports: 1 });
    expect(String(warning.msg)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(warning.droppedSpans).toBeGreaterThan(0);
    // More failed batches within the minute add no line: one warning, the next one a summary.
    await new Promise((r) => setTimeout(r, 500));
    expect(failed()).toHaveLength(1);
    // Every line the process wrote is JSON (no exporter stack traces on stderr).
    expect(lines.filter((l) => !l.json)).toEqual([]);
    await ingress.stop('SIGKILL');
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT unset nothing is patched and no SDK is registered; set, both are', async () => {
    const probe = async (endpoint: string | undefined) => {
      const env: NodeJS.ProcessEnv = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
      if (endpoint === undefined) delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'e2e/support/tracing-probe.ts'],
        {
          cwd: REPO_ROOT,
          env,
        },
      );
      return JSON.parse(stdout) as unknown;
    };
    expect(await probe(undefined)).toEqual({ on: false, http: false, ioredis: false, otelApi: false });
    // The same probe sees the patches when tracing is on, so the line above proves their absence.
    expect(await probe(collector.url)).toEqual({ on: true, http: true, ioredis: true, otelApi: true });
  });
});
