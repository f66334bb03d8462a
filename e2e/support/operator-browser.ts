import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** An operator in their own browser context (own cookies), signed in through the form. */
export async function signedInOperator(
  browser: Browser,
  adminUrl: string,
  operator: string,
  password: string,
  viewport = { width: 1100, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  // Playwright's 30 s default was hit once with one of the two cores held by a busy loop;
  // the test's own 180 s budget bounds the wait instead.
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  await page.goto(`${adminUrl}/admin/inbox`);
  // Not signed in: the inbox sends the browser to the sign-in form.
  await page.waitForURL(/\/admin\/login$/);
  await page.getByLabel('Usuario').fill(operator);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.waitForURL(/\/admin\/inbox$/);
  return page;
}

/** A fetch from inside the page, as the page's own script would send it (same cookies, Origin, CSRF token). */
export function postFromPage(page: Page, path: string, body: Record<string, string>): Promise<number> {
  return page.evaluate(
    async ({ path, body }) => {
      // Runs in the page, where `document` exists (this file is type-checked without the DOM lib).
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } })
        .document;
      const token = doc.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-csrf-token': token },
        body: new URLSearchParams(body).toString(),
      });
      return res.status;
    },
    { path, body },
  );
}
