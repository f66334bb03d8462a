/**
 * The operator inbox through the whole stack in real Chromium: simulator →
 * ingress → worker process → fake Graph API, and two operators' browsers on
 * the admin port. See docs/operations.md, "Operator inbox".
 */
import { createLogger, TranscriptStore } from '@medcita/shared';
import { simUser } from '@medcita/testkit/simulator';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../ingress/src/admin/operator-accounts.js';
import { Conversation, dialogWorkerEnv, seedWithPatients, textOf } from '../support/conversation.js';
import { launchChromium, postFromPage, signedInOperator } from '../support/operator-browser.js';
import { APP_SECRET, TestStack, waitUntil } from '../support/test-stack.js';
import { REPO_ROOT } from '@medcita/testkit';

const patients = [simUser(6100), simUser(6101), simUser(6102)];
const seed = seedWithPatients(patients.map((p) => p.waId!));
const PASSWORDS = { ana: 'ana-clave-larga-1', luis: 'luis-clave-larga-1' };
/** Screenshots go to docs/img when INBOX_SCREENSHOTS=docs/img (see README), else to a scratch folder. */
const SHOTS = path.resolve(REPO_ROOT, process.env.INBOX_SCREENSHOTS ?? 'node_modules/.cache/inbox-screenshots');

describe('operator inbox in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: string;
  let ingressLog = '';
  const texts: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const cost = { N: 1024, r: 8, p: 1 };
    const operators = `ana:${await hashPassword(PASSWORDS.ana, cost)},luis:${await hashPassword(PASSWORDS.luis, cost)}`;
    const logger = createLogger({
      level: 'debug',
      service: 'ingress',
      destination: new Writable({
        write(chunk, _e, cb) {
          ingressLog += chunk.toString();
          cb();
        },
      }),
    });
    stack = await TestStack.start({
      workers: 1,
      workerEnv: { ...dialogWorkerEnv(seed.file), HANDOFF_CONTEXT_MESSAGES: '20' },
      ingressEnv: { OPERATORS: operators, LOG_LEVEL: 'debug' },
      logger,
    });
    // Like a phone that opens the chat: sent, delivered, read.
    stack.graph.sendStatusesTo({ url: `http://127.0.0.1:${stack.ingress.port}/webhook`, appSecret: APP_SECRET, progress: true });
    admin = `http://127.0.0.1:${stack.ingress.adminPort}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (process.env.INBOX_DEBUG)
      writeFileSync(
        '/tmp/inbox-worker.log',
        stack.workers
          .map((w) =>
            w.logs
              .filter((l) => Number(l.level) >= 40)
              .map((l) => JSON.stringify(l))
              .join('\n'),
          )
          .join('\n'),
      );
    await browser?.close();
    await stack?.stop();
  });

  const say = (chat: Conversation, text: string) => {
    texts.push(text);
    return chat.say(text);
  };

  it('an operator picks up a handoff live, reads the context, answers once and hands the patient back to the bot', async () => {
    const patient = seed.patients[0]!;
    const chat = new Conversation(stack, patients[0]!);
    // ana works on a phone-sized screen; luis on a desktop.
    const ana = await signedInOperator(browser, admin, 'ana', PASSWORDS.ana, { width: 390, height: 844 });
    const luis = await signedInOperator(browser, admin, 'luis', PASSWORDS.luis);
    await ana.getByText('No hay conversaciones derivadas').waitFor();

    await say(chat, patient.documentNumber);
    expect(textOf(await say(chat, 'tengo una duda con mi receta de la semana pasada'))).not.toBe('');
    expect(textOf(await say(chat, 'quiero hablar con una persona'))).toMatch(/persona del equipo/);

    // 2. The handoff appears without a reload (server-sent events).
    const row = ana.locator('.row').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(patient.firstName);
    const rowText = (await row.textContent())!;
    expect(rowText).toContain(`••• ${patients[0]!.waId!.slice(-4)}`);
    expect(rowText).not.toContain(patients[0]!.waId!);
    expect(rowText).toContain('Pidió hablar con una persona');
    expect(rowText).toContain('Sin tomar');
    await ana.screenshot({ path: path.join(SHOTS, 'inbox-list.png') });

    // 3. ana opens it (keyboard: focus the row's link, Enter), takes it and reads the earlier messages.
    await row.locator('a').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/admin\/inbox\/c\//);
    const conversationUrl = ana.url();
    await ana.getByRole('button', { name: 'Tomar' }).click();
    await ana.getByLabel('Respuesta').waitFor();
    const messages = ana.locator('#messages');
    await messages.getByText('tengo una duda con mi receta de la semana pasada').waitFor();
    await messages.getByText('quiero hablar con una persona').waitFor();
    await messages.locator('.msg.out').first().waitFor(); // the bot's side too

    // A second operator sees it taken and cannot take it.
    await luis.getByText('Tomada por ana').waitFor();
    await luis.goto(conversationUrl);
    await luis.getByText('Tomada por ana. Solo esa persona puede responder.').waitFor();
    expect(await luis.getByRole('button', { name: 'Tomar' }).count()).toBe(0);
    const path_ = new URL(conversationUrl).pathname;
    expect(await postFromPage(luis, `${path_}/take`, {})).toBe(409);
    expect(await postFromPage(luis, `${path_}/reply`, { text: 'respuesta de luis' })).toBe(409);

    // 4. The patient writes again; it appears live.
    await say(chat, '¿siguen ahí? necesito ayuda con la receta');
    await messages.getByText('¿siguen ahí? necesito ayuda con la receta').waitFor();

    // 5. ana replies (keyboard: Ctrl+Enter in the reply box); the fake Graph API gets exactly one message with that text.
    const reply = 'Hola, soy Ana del equipo. Ya reviso tu receta y te escribo.';
    texts.push(reply);
    const sentBefore = stack.graph.sent.length;
    await ana.getByLabel('Respuesta').fill(reply);
    await ana.getByLabel('Respuesta').press('Control+Enter');
    const delivered = await stack.graph.waitForSent((s) => (s.payload as { text?: { body?: string } }).text?.body === reply, 15_000);
    expect(delivered.to).toBe(patients[0]!.waId);
    // Delivery statuses appear beside the reply, live.
    await ana.locator('.msg.op .status[data-status="read"]').waitFor();
    expect(stack.graph.sent.slice(sentBefore).filter((s) => (s.payload as { text?: { body?: string } }).text?.body === reply)).toHaveLength(
      1,
    );
    await ana.screenshot({ path: path.join(SHOTS, 'inbox-conversation.png'), fullPage: true });

    // 6. ana releases with a closing message; the patient's next message is answered by the bot.
    const closing = 'Listo, te devuelvo al asistente. ¡Que estés bien!';
    texts.push(closing);
    await ana.getByLabel('Mensaje de cierre (opcional)').fill(closing);
    await ana.getByRole('button', { name: 'Devolver al asistente' }).click();
    await ana.waitForURL(/\/admin\/inbox$/);
    await stack.graph.waitForSent((s) => (s.payload as { text?: { body?: string } }).text?.body === closing, 15_000);
    // luis, still on the conversation, sees it closed without touching the page.
    await luis.getByText('Esta conversación ya no está derivada').waitFor();
    await luis.goto(`${admin}/admin/inbox`);
    await luis.getByText('No hay conversaciones derivadas').waitFor();
    // The replies since the patient last wrote include ana's reply and closing message; the bot's answer follows them.
    const since = await say(chat, 'hola');
    const back = textOf(since.slice(since.findIndex((r) => r.body === closing) + 1));
    expect(back).not.toBe('');
    expect(back).toMatch(/de nuevo/);
    // The messages written during the handoff are not replayed to the bot.
    expect(back).not.toMatch(/receta/);
    await ana.context().close();
    await luis.context().close();
  }, 180_000);

  it('a reply after the 24-hour window says so and offers the re-engagement template', async () => {
    const chat = new Conversation(stack, patients[1]!);
    await say(chat, seed.patients[1]!.documentNumber);
    await say(chat, 'quiero hablar con una persona');
    const ana = await signedInOperator(browser, admin, 'ana', PASSWORDS.ana);
    await ana.locator('.row').first().locator('a').click();
    await ana.getByRole('button', { name: 'Tomar' }).click();
    // WhatsApp refuses free text more than 24 h after the patient's last message.
    stack.graph.failNext(1, { status: 400, code: 131047, to: patients[1]!.waId! });
    texts.push('¿Sigues necesitando ayuda?');
    await ana.getByLabel('Respuesta').fill('¿Sigues necesitando ayuda?');
    await ana.getByRole('button', { name: 'Enviar' }).click();
    await ana.getByText('La ventana de 24 horas está cerrada').waitFor();
    await ana.locator('.msg.op .status[data-status="window_closed"]').waitFor();
    await ana.getByRole('button', { name: 'Enviar plantilla de reenganche' }).click();
    const template = await stack.graph.waitForSent((s) => s.to === patients[1]!.waId && s.type === 'template', 15_000);
    expect((template.payload as { template: { name: string } }).template.name).toBe('retomar_conversacion');
    await ana.context().close();
  }, 120_000);

  it('releasing lands on the inbox even when the live update sees the handoff end before the redirect arrives', async () => {
    const chat = new Conversation(stack, patients[2]!);
    await say(chat, seed.patients[2]!.documentNumber);
    await say(chat, 'quiero hablar con una persona');
    const ana = await signedInOperator(browser, admin, 'ana', PASSWORDS.ana);
    await ana.locator('.row', { hasText: seed.patients[2]!.firstName }).locator('a').click();
    await ana.waitForURL(/\/admin\/inbox\/c\//);
    await ana.getByRole('button', { name: 'Tomar' }).click();
    await ana.getByRole('button', { name: 'Devolver al asistente' }).waitFor();
    // Hold the release's redirect until the page's own live update has been told the handoff is over,
    // which is what a slow network or a busy server does.
    await ana.route('**/release', async (route) => {
      const gone = ana.waitForResponse((r) => r.url().endsWith('/live') && r.status() === 404);
      const response = await route.fetch({ maxRedirects: 0 });
      await gone;
      await route.fulfill({ response });
    });
    await ana.getByRole('button', { name: 'Devolver al asistente' }).click();
    await ana.waitForURL(/\/admin\/inbox$/);
    await expect(ana.locator('.row', { hasText: seed.patients[2]!.firstName }).count()).resolves.toBe(0);
    await ana.context().close();
  }, 180_000);

  it('no message text reached any log line, and transcripts expire', async () => {
    const workerLog = stack.workers.map((w) => JSON.stringify(w.logs)).join('\n');
    expect(ingressLog.length).toBeGreaterThan(0);
    expect(workerLog.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(ingressLog).not.toContain(text);
      expect(workerLog).not.toContain(text);
    }
    const t = new TranscriptStore(stack.redis, {
      keyPrefix: 'mc',
      contextLines: 20,
      contextTtlSeconds: 1800,
      transcriptTtlSeconds: 604_800,
    });
    const keys = t.keys(new Conversation(stack, patients[0]!).sessionKey);
    const ttl = await stack.redis.ttl(keys.transcript);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(604_800);
    await waitUntil(async () => (await stack.redis.ttl(keys.context)) > 0, 1000, 'context TTL');
    expect(await stack.redis.ttl(keys.context)).toBeLessThanOrEqual(1800);
  });
});
