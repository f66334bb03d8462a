// Opens Bull Board in headless Chromium, logs in with basic auth and saves a
// screenshot of the queue list to docs/img/bull-board.png.
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).
import { createLogger } from '@medcita/shared';
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { startRedisServer } from '@medcita/testkit';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { loadIngressConfig } from '../../ingress/src/config.js';
import { startIngress } from '../../ingress/src/ingress.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  process.stderr.write(`no Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)\n`);
  process.exit(2);
}
const out = process.argv[2] ?? 'docs/img/bull-board.png';
const redis = await startRedisServer();
const ingress = await startIngress(
  loadIngressConfig({
    REDIS_URL: redis.url,
    PORT: '0',
    ADMIN_PORT: '0',
    WHATSAPP_APP_SECRET: 'screenshot',
    WHATSAPP_VERIFY_TOKEN: 'screenshot',
    ADMIN_USER: 'ops',
    ADMIN_PASSWORD: 'screenshot-only',
  }),
  createLogger({ level: 'warn', service: 'ingress' }),
);
const base = `http://127.0.0.1:${ingress.port}`;
const admin = `http://127.0.0.1:${ingress.adminPort}`;
try {
  // Some waiting turns so the board has something to show (no workers run here).
  const sender = new WebhookSender({ url: `${base}/webhook`, appSecret: 'screenshot' });
  for (let i = 1; i <= 12; i++) await sender.post(webhookBody([inbound(simUser(i), content.text('hola'))]));

  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({
    httpCredentials: { username: 'ops', password: 'screenshot-only' },
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  await page.goto(`${admin}/admin/queues`);
  await page.getByText('turns').first().waitFor({ timeout: 15_000 });
  await page.screenshot({ path: out });
  await browser.close();
  process.stdout.write(`saved ${out}\n`);
} finally {
  await ingress.close();
  await redis.stop();
}
