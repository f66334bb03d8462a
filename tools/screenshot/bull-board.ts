/**
 * `npm run screenshot:bull-board [-- out.png] [--minutes 4] [--workers 3]`:
 * Bull Board over a running fleet, saved to docs/img/bull-board.png. A
 * private redis-server, the fake Graph API, the ingress and `--workers`
 * worker processes (the real dialog, lexical NLU); patients write for
 * `--minutes` at a varying rate, so the turns queue shows its connected
 * workers, completed jobs and a few one-minute throughput points (BullMQ
 * writes a minute's point when the next minute's first job finishes).
 * Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).
 */
import { createLogger, LogEvent, QueueName } from '@medcita/shared';
import { logMsg, NodeService, startRedisServer, waitUntil } from '@medcita/testkit';
import { content, DEFAULT_BUSINESS, FakeGraphApi, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { loadIngressConfig } from '../../ingress/src/config.js';
import { startIngress } from '../../ingress/src/ingress.js';

const { values: flags, positionals } = parseArgs({
  options: { minutes: { type: 'string', default: '4' }, workers: { type: 'string', default: '3' } },
  allowPositionals: true,
});
const out = positionals[0] ?? 'docs/img/bull-board.png';
const minutes = Number(flags.minutes);
const workerCount = Number(flags.workers);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  process.stderr.write(`no Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)\n`);
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`${line}\n`);

const SECRET = 'screenshot-only-secret';
const TOKEN = 'screenshot-only-token';
const redis = await startRedisServer();
const graph = await FakeGraphApi.start({ accessToken: TOKEN });
const ingress = await startIngress(
  loadIngressConfig({
    REDIS_URL: redis.url,
    PORT: '0',
    ADMIN_PORT: '0',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'screenshot',
    ADMIN_USER: 'ops',
    ADMIN_PASSWORD: 'screenshot-only',
  }),
  createLogger({ level: 'warn', service: 'ingress' }),
);
const base = `http://127.0.0.1:${ingress.port}`;
const admin = `http://127.0.0.1:${ingress.adminPort}`;
graph.sendStatusesTo({ url: `${base}/webhook`, appSecret: SECRET });
const workers: NodeService[] = [];
try {
  for (let i = 0; i < workerCount; i++) {
    workers.push(
      await NodeService.start({
        name: `worker-${i + 1}`,
        entry: 'workers/src/main.ts',
        env: {
          REDIS_URL: redis.url,
          GRAPH_API_URL: graph.url,
          WHATSAPP_ACCESS_TOKEN: TOKEN,
          METRICS_PORT: '0',
          REMINDERS_ENABLED: 'true',
          REMINDER_PHONE_NUMBER_ID: DEFAULT_BUSINESS.phoneNumberId,
        },
        ready: logMsg(LogEvent.WorkerReady),
        readyTimeoutMs: 120_000,
      }),
    );
  }
  say(`fleet up: ingress, ${workerCount} workers; patients write for ${minutes} min`);

  // Patients greet the bot and ask for appointments; the rate swings so the chart has a shape.
  const sender = new WebhookSender({ url: `${base}/webhook`, appSecret: SECRET });
  const texts = ['hola', 'quiero una cita', 'cardiología', 'el jueves por la mañana', 'gracias'];
  const end = Date.now() + minutes * 60_000;
  let sent = 0;
  for (let second = 0; Date.now() < end; second++) {
    const perSecond = 2 + Math.round(6 * (1 + Math.sin(second / 25)));
    for (let k = 0; k < perSecond; k++) {
      const user = simUser(1 + ((sent * 7) % 200));
      await sender.post(webhookBody([inbound(user, content.text(texts[sent % texts.length]!))]));
      sent++;
    }
    await sleep(1_000);
  }
  await waitUntil(
    async () => {
      const c = await ingress.queue.getJobCounts('waiting', 'active', 'delayed');
      return Object.values(c).every((n) => n === 0);
    },
    60_000,
    'the turns queue to drain',
  );
  say(`${sent} messages sent, ${graph.sent.length} replies at the fake Graph API`);

  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({
      httpCredentials: { username: 'ops', password: 'screenshot-only' },
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    // Left: the turns queue with its throughput chart. Right: its connected workers (the Queue info dialog).
    await page.goto(`${admin}/admin/queues/queue/${QueueName.Turns}?status=completed`);
    await page.getByText('Throughput (jobs / min)').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000); // the chart animates in
    const board = await page.screenshot();
    await page.getByLabel('Queue info').click();
    await page.getByText('Connected workers').click();
    await page
      .getByText(/connected \S/)
      .first()
      .waitFor({ timeout: 30_000 });
    const workersPanel = await page.getByRole('dialog').screenshot();
    const composite = await context.newPage();
    await composite.setViewportSize({ width: 2400, height: 1000 });
    const img = (png: Buffer) => `<img src="data:image/png;base64,${png.toString('base64')}">`;
    await composite.setContent(
      `<body style="margin:0"><div id="shot" style="display:inline-flex;gap:16px;padding:16px;align-items:flex-start;background:#d1d5db">${img(board)}${img(workersPanel)}</div></body>`,
    );
    await composite.locator('#shot').screenshot({ path: out });
    say(`saved ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  await Promise.allSettled(workers.map((w) => w.stop('SIGTERM')));
  await ingress.close();
  await graph.close();
  await redis.stop();
}
