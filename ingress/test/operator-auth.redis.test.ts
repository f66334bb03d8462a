/**
 * The admin port's protection: operator sign-in with scrypt hashes, session
 * cookies, failed sign-ins limited per account and per address in bounded
 * memory, CSRF token and Origin checks, expiry, and the configuration rules
 * (own port, explicit trust proxy, explicit ADMIN_AUTH=off).
 */
import { ConfigError, createLogger, HandoffStore } from '@medcita/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createAdminApp } from '../src/admin/admin-app.js';
import { LoginThrottle } from '../src/admin/login-throttle.js';
import { hashPassword } from '../src/admin/operator-accounts.js';
import { loadIngressConfig } from '../src/config.js';
import { createInbox } from '../src/inbox/inbox-wiring.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const FAST = { N: 1024, r: 8, p: 1 };

const baseEnv = (extra: Record<string, string> = {}) => ({
  REDIS_URL,
  PORT: '0',
  ADMIN_PORT: '0',
  WHATSAPP_APP_SECRET: 's',
  WHATSAPP_VERIFY_TOKEN: 'v',
  KEY_PREFIX: `test-${randomUUID()}`,
  QUEUE_PREFIX: `{test-${randomUUID()}}`,
  ...extra,
});

interface Admin {
  url: string;
  logs: () => string;
  clock: { now: number };
  close(): Promise<void>;
}

async function startAdmin(env: Record<string, string>): Promise<Admin> {
  let logs = '';
  const logger = createLogger({
    level: 'info',
    service: 'ingress',
    destination: new Writable({
      write(c, _e, cb) {
        logs += c.toString();
        cb();
      },
    }),
  });
  const config = loadIngressConfig(baseEnv(env));
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const handoff = new HandoffStore(redis, { keyPrefix: config.KEY_PREFIX, timeoutSeconds: 3600, clock: now });
  const inbox = createInbox({ config, redis, handoff, logger, now });
  const app = createAdminApp(config, { redis, queues: [], logger, mount: (auth) => inbox.mounts(auth), now });
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    logs: () => logs,
    clock,
    close: async () => {
      await inbox.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      const keys = await redis.keys(`${config.KEY_PREFIX}:*`);
      if (keys.length) await redis.del(...keys);
    },
  };
}

/** A browser-like client: keeps cookies, sends the Origin of the page it is on. */
class Client {
  cookies = new Map<string, string>();
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async req(path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: this.base } : {}),
        ...this.headers,
        ...init.headers,
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (v === '') this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return res;
  }
  async loginToken(): Promise<string> {
    const page = await (await this.req('/admin/login')).text();
    return /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  }
  async signIn(operator: string, password: string) {
    return this.req('/admin/login', { form: { _csrf: await this.loginToken(), operator, password } });
  }
  async csrf(): Promise<string> {
    const page = await (await this.req('/admin/inbox')).text();
    return /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
  }
}

let operators: string;
beforeAll(async () => {
  operators = `ana:${await hashPassword('ana-password-1', FAST)},luis:${await hashPassword('luis-password-1', FAST)}`;
});
afterAll(async () => {
  await redis.quit();
});

describe('operator sign-in', () => {
  let admin: Admin;
  beforeEach(async () => {
    admin = await startAdmin({ OPERATORS: operators });
  });
  afterEach(async () => {
    await admin.close();
  });

  it('sends an anonymous visitor to the sign-in form and lets a right password in, with a strict HttpOnly cookie', async () => {
    const c = new Client(admin.url);
    const anonymous = await c.req('/admin/inbox');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/login');
    expect((await c.req('/admin/inbox/live')).status).toBe(401);

    const ok = await c.signIn('ana', 'ana-password-1');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/inbox');
    const cookie = ok.headers.getSetCookie().find((h) => h.startsWith('mc_admin='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    const inbox = await c.req('/admin/inbox');
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain('ana');
    expect(admin.logs()).not.toContain('ana-password-1');
  });

  it('refuses wrong passwords, then locks the account out even for the right password, per account', async () => {
    const c = new Client(admin.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await c.signIn('ana', `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const locked = await c.signIn('ana', 'ana-password-1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('Demasiados intentos');
    // Another operator is not locked out by ana's lockout.
    expect((await c.signIn('luis', 'luis-password-1')).status).toBe(303);
    // The window passes: ana may sign in again.
    admin.clock.now += 16 * 60_000;
    expect((await new Client(admin.url).signIn('ana', 'ana-password-1')).status).toBe(303);
  });

  it('limits guessing from one address across many accounts, and X-Forwarded-For cannot dodge it without TRUST_PROXY', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const c = new Client(admin.url, { 'x-forwarded-for': `10.0.${i}.1` });
      statuses.push((await c.signIn(`user${i}`, 'nope-nope-nope')).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('refuses a POST without the CSRF token, or from another origin, and changes nothing', async () => {
    const c = new Client(admin.url);
    await c.signIn('ana', 'ana-password-1');
    const token = await c.csrf();
    const noToken = await c.req('/admin/logout', { form: {} });
    expect(noToken.status).toBe(403);
    const foreign = await c.req('/admin/logout', { form: { _csrf: token }, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await c.req('/admin/inbox')).status).toBe(200); // still signed in
    const out = await c.req('/admin/logout', { form: { _csrf: token } });
    expect(out.status).toBe(303);
    expect((await c.req('/admin/inbox')).status).toBe(303);
  });

  it('a sign-in form without its own token is refused (no login CSRF)', async () => {
    const c = new Client(admin.url);
    const res = await c.req('/admin/login', { form: { operator: 'ana', password: 'ana-password-1' } });
    expect(res.status).toBe(403);
  });

  it('an expired session cookie no longer opens the inbox', async () => {
    const c = new Client(admin.url);
    await c.signIn('ana', 'ana-password-1');
    expect((await c.req('/admin/inbox')).status).toBe(200);
    admin.clock.now += 12 * 3600_000 + 1000;
    const expired = await c.req('/admin/inbox');
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/admin/login');
    expect((await c.req('/admin/inbox/live')).status).toBe(401);
  });
});

describe('admin configuration', () => {
  it('ADMIN_AUTH=off must be explicit: it opens the inbox as the "dev" operator, and logs a warning', async () => {
    const admin = await startAdmin({ ADMIN_AUTH: 'off' });
    try {
      const res = await new Client(admin.url).req('/admin/inbox');
      expect(res.status).toBe(200);
      expect(admin.logs()).toContain('ADMIN_AUTH=off');
    } finally {
      await admin.close();
    }
  });

  it('without operators the inbox is not served, even in development', async () => {
    const admin = await startAdmin({ NODE_ENV: 'development' });
    try {
      expect((await new Client(admin.url).req('/admin/inbox')).status).toBe(404);
      expect((await new Client(admin.url).req('/admin/login')).status).toBe(404);
    } finally {
      await admin.close();
    }
  });

  it('refuses to start naming the variable: shared ports, a bad trust proxy, a bad operator hash', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadIngressConfig(baseEnv(env));
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ PORT: '3000', ADMIN_PORT: '3000' })).toEqual([expect.stringMatching(/^ADMIN_PORT must differ from PORT/)]);
    expect(problems({ TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^TRUST_PROXY /)]);
    expect(problems({ TRUST_PROXY: '10.0.0.0/33' })).toEqual([expect.stringMatching(/^TRUST_PROXY /)]);
    expect(problems({ OPERATORS: 'ana:plaintext' })).toEqual([expect.stringMatching(/^OPERATORS operator "ana" has no valid scrypt hash/)]);
    expect(problems({ OPERATORS_FILE: '/nonexistent/operators' })).toEqual([expect.stringMatching(/^OPERATORS_FILE /)]);
    expect(problems({ ADMIN_AUTH: 'maybe' })).toEqual([expect.stringMatching(/^ADMIN_AUTH /)]);
    expect(loadIngressConfig(baseEnv({ TRUST_PROXY: '1' })).TRUST_PROXY).toBe(1);
    expect(loadIngressConfig(baseEnv({ TRUST_PROXY: '10.0.0.0/8, loopback' })).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadIngressConfig(baseEnv({})).TRUST_PROXY).toBe(false);
  });
});

describe(LoginThrottle.name, () => {
  it('tracks at most maxEntries keys, dropping the oldest first', () => {
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 60_000, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) t.fail(`ip:${i}`);
    expect(t.size).toBeLessThanOrEqual(100);
    t.fail('ip:9999');
    expect(t.retryAfterMs('ip:9999')).toBeGreaterThan(0);
  });
});
