import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReadPayload, checkSendPayload } from './graph-payload-check.js';
import { defaultCodeForStatus, graphErrorBody } from './meta-errors.js';
import { makeWamid } from './wamid.js';
import { DEFAULT_BUSINESS, statusUpdate, webhookBody } from './webhook-builders.js';
import { WebhookSender } from './webhook-sender.js';

interface LatencySpec {
  ms: number;
  remaining: number;
  endpoint: 'messages' | 'read' | 'any';
  acceptFirst: boolean;
}

export interface SentRecord {
  phoneNumberId: string;
  /** `to` (phone) or, for BSUID-only sends, `recipient`. */
  to: string;
  type: string;
  payload: Record<string, unknown>;
  messageId: string;
  /** Date.now() when the request arrived, before any injected latency. */
  receivedAt: number;
}

export interface ReadRecord {
  phoneNumberId: string;
  messageId: string;
  typing: boolean;
  payload: Record<string, unknown>;
  receivedAt: number;
}

/** Every request to the messages endpoint, accepted or not (status 499: client gave up during latency). */
export interface RequestRecord {
  endpoint: 'messages' | 'read';
  phoneNumberId: string;
  to?: string;
  status: number;
  errorCode?: number;
  receivedAt: number;
}

export interface FaultSpec {
  status: number;
  /** Graph error code; defaults from status (429 → 130429, 5xx → 131000, 400 → 100). */
  code?: number;
  /** Only requests to this recipient (`to` or `recipient`) fail. */
  to?: string;
  /** Which calls the fault hits; default `messages` (sends, not mark-as-read). */
  endpoint?: 'messages' | 'read' | 'any';
}

interface PendingFault extends FaultSpec {
  remaining: number;
}

/**
 * "Accepted, answered late": WhatsApp takes the message (the user gets it,
 * its `sent` status goes out) but the HTTP answer comes after
 * `answerAfterMs`, typically past the client's timeout, so the sender cannot
 * tell it from a lost request.
 */
export interface AnswerLateSpec {
  answerAfterMs: number;
  /** When the `sent` status webhook goes out, counted from acceptance; default 0. */
  statusAfterMs?: number;
}

interface PendingAnswerLate extends AnswerLateSpec {
  remaining: number;
}

/** What the fake injected and reported so far (for soaks, which clear the record arrays as they go). */
export interface FakeGraphCounts {
  /** Injected error answers by HTTP status (queued and random faults). */
  faults: Record<number, number>;
  /** Accepted sends answered after `answerAfterMs`. */
  answeredLate: number;
  /** Status webhooks posted (each of sent/delivered/read counts). */
  statusesPosted: number;
  /** Status webhooks held back by the sink's `delayMs` before their first post. */
  statusesDelayed: number;
  /** Status posts the business answered with something other than 200, and that were retried. */
  statusRetries: number;
}

export interface StatusSinkOptions {
  url: string;
  appSecret: string;
  /** Report `delivered` and `read` after `sent`, as a phone that opens the chat would. */
  progress?: boolean;
  /** How long to hold each message's statuses back (ms), like Meta's sometimes-late webhooks; default none. */
  delayMs?: () => number;
  /** Retry a status post the business did not answer 200, like Meta (backoff up to 2 s), until it is or the fake closes. */
  retry?: boolean;
}

const MAX_BODY = 1_000_000;
const ROUTE = /^\/(v\d+\.\d+)\/([^/]+)\/messages\/?$/;

/**
 * Plays the WhatsApp Graph API on 127.0.0.1: checks the bearer token and the
 * payload, records what would have reached the user and answers like Meta.
 * Faults and latency can be injected in-process or over `/__sim/*` so a
 * benchmark in another process can drive it. Emits `sent` and `read`.
 */
export class FakeGraphApi extends EventEmitter {
  readonly sent: SentRecord[] = [];
  readonly reads: ReadRecord[] = [];
  readonly requests: RequestRecord[] = [];
  private faults: PendingFault[] = [];
  private answerLate: PendingAnswerLate[] = [];
  private randomFault: { rate: number; faults: FaultSpec[]; rng: () => number } | undefined;
  private randomLate: { rate: number; spec: () => AnswerLateSpec; rng: () => number } | undefined;
  readonly counts: FakeGraphCounts = { faults: {}, answeredLate: 0, statusesPosted: 0, statusesDelayed: 0, statusRetries: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pauses = new Set<() => void>();
  private latency: LatencySpec = { ms: 0, remaining: Infinity, endpoint: 'any', acceptFirst: false };
  private closed = false;
  private statusSink: WebhookSender | undefined;
  private statusOptions: StatusSinkOptions | undefined;
  private readonly statusPosts = new Set<Promise<unknown>>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly accessToken: string | undefined,
  ) {
    super();
  }

  /** Listens on `port` (default: an ephemeral one). Without `accessToken` any bearer token is accepted. */
  static async start(opts: { accessToken?: string; port?: number; host?: string } = {}): Promise<FakeGraphApi> {
    const host = opts.host ?? '127.0.0.1';
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => reply(res, 500, { error: { message: String(err), code: 1 } }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGraphApi(server, `http://${host}:${port}`, opts.accessToken);
    return fake;
  }

  /** The next `count` matching calls fail with `fault` (queued after earlier faults). */
  failNext(count: number, fault: FaultSpec): void {
    this.faults.push({ ...fault, remaining: count });
  }

  /**
   * Every matching call fails with `fault` (one of them, picked at random)
   * with probability `rate` (after any queued faults); `rate` 0 turns it
   * off. For benchmarks and soaks: a steady trickle of 429s or 500s rather
   * than a scripted sequence.
   */
  setRandomFaults(rate: number, fault: FaultSpec | FaultSpec[], rng: () => number = Math.random): void {
    const faults = Array.isArray(fault) ? fault : [fault];
    this.randomFault = rate > 0 && faults.length > 0 ? { rate, faults, rng } : undefined;
  }

  /** Each accepted send is answered late with probability `rate` (after any queued ones); `spec` is asked per send. */
  setRandomAnswerLate(rate: number, spec: AnswerLateSpec | (() => AnswerLateSpec), rng: () => number = Math.random): void {
    this.randomLate = rate > 0 ? { rate, spec: typeof spec === 'function' ? spec : () => spec, rng } : undefined;
  }

  /** The next `count` accepted sends are answered late (see AnswerLateSpec), queued after earlier ones. */
  answerLateNext(count: number, spec: AnswerLateSpec): void {
    this.answerLate.push({ ...spec, remaining: count });
  }

  /**
   * Delays responses by `ms`; for the next `requests` calls only when given,
   * and only on `endpoint` when given. By default a client that hangs up
   * during the delay never "reached Meta" (nothing recorded); `acceptFirst`
   * records (and reports the status of) the message first and delays only
   * the answer: a send that reached WhatsApp whose sender never learned it.
   */
  setLatency(ms: number, opts: { requests?: number; endpoint?: 'messages' | 'read' | 'any'; acceptFirst?: boolean } = {}): void {
    this.latency = { ms, remaining: opts.requests ?? Infinity, endpoint: opts.endpoint ?? 'any', acceptFirst: opts.acceptFirst ?? false };
  }

  /**
   * Like Meta, report a `sent` status for every accepted message to the
   * business's webhook (signed with the app secret, echoing
   * `biz_opaque_callback_data`). Off by default; `null` turns it off. With
   * `progress`, each message is also reported `delivered` and then `read`,
   * as a phone that opens the chat would; `delayMs` and `retry` make the
   * webhooks late and persistent the way Meta's are (StatusSinkOptions).
   */
  sendStatusesTo(target: StatusSinkOptions | null): void {
    this.statusSink = target ? new WebhookSender(target) : undefined;
    this.statusOptions = target ?? undefined;
  }

  /** Forgets records, faults and latency. */
  reset(): void {
    this.sent.length = 0;
    this.reads.length = 0;
    this.requests.length = 0;
    this.faults = [];
    this.answerLate = [];
    this.randomFault = undefined;
    this.randomLate = undefined;
    this.latency = { ms: 0, remaining: Infinity, endpoint: 'any', acceptFirst: false };
  }

  /** Resolves with all sends once `count` were recorded. */
  waitForSent(count: number, timeoutMs?: number): Promise<SentRecord[]>;
  /** Resolves with the first recorded send matching `predicate`. */
  waitForSent(predicate: (r: SentRecord) => boolean, timeoutMs?: number): Promise<SentRecord>;
  waitForSent(what: number | ((r: SentRecord) => boolean), timeoutMs = 5_000): Promise<SentRecord[] | SentRecord> {
    const done = (): SentRecord[] | SentRecord | undefined =>
      typeof what === 'number' ? (this.sent.length >= what ? [...this.sent] : undefined) : this.sent.find(what);
    return new Promise((resolve, reject) => {
      const check = () => {
        const result = done();
        if (result === undefined) return;
        clearTimeout(timer);
        this.off('sent', check);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.off('sent', check);
        const wanted = typeof what === 'number' ? `${what} sends` : 'a matching send';
        reject(new Error(`FakeGraphApi: timed out after ${timeoutMs} ms waiting for ${wanted}; got ${this.sent.length}`));
      }, timeoutMs);
      this.on('sent', check);
      check();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statusSink = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const done of [...this.pauses]) done();
    await Promise.all(this.statusPosts);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/__sim/')) return this.handleControl(req, res, path);
    const route = ROUTE.exec(path);
    if (req.method !== 'POST' || !route) {
      return reply(res, 404, graphErrorBody(100, `Unknown path components: ${path}`));
    }
    const phoneNumberId = route[2]!;
    const raw = await readBody(req);
    const payload = parseObject(raw);
    const endpoint = payload?.status === 'read' ? 'read' : 'messages';
    const to = recipientOf(payload);
    const log = (status: number, errorCode?: number): void => {
      this.requests.push({
        endpoint,
        phoneNumberId,
        ...(to === undefined ? {} : { to }),
        status,
        ...(errorCode === undefined ? {} : { errorCode }),
        receivedAt,
      });
    };

    this.emit('request', { endpoint, phoneNumberId, to });
    const delayed = this.takeLatency(endpoint);
    if (delayed && !this.latency.acceptFirst && !(await this.waitOut(delayed, res))) {
      log(499);
      return;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || (this.accessToken !== undefined && token !== this.accessToken)) {
      log(401, 190);
      return reply(res, 401, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    if (!payload) {
      log(400, 100);
      return reply(res, 400, graphErrorBody(100, 'Request body must be a JSON object'));
    }
    const fault = this.takeFault(endpoint, to);
    if (fault) {
      const code = fault.code ?? defaultCodeForStatus(fault.status);
      this.counts.faults[fault.status] = (this.counts.faults[fault.status] ?? 0) + 1;
      log(fault.status, code);
      return reply(res, fault.status, graphErrorBody(code));
    }
    const problem = endpoint === 'read' ? checkReadPayload(payload) : checkSendPayload(payload);
    if (problem) {
      log(400, 100);
      return reply(res, 400, graphErrorBody(100, problem));
    }
    log(200);
    if (endpoint === 'read') {
      const record: ReadRecord = {
        phoneNumberId,
        messageId: payload.message_id as string,
        typing: payload.typing_indicator !== undefined,
        payload,
        receivedAt,
      };
      this.reads.push(record);
      reply(res, 200, { success: true });
      this.emit('read', record);
      return;
    }
    const record: SentRecord = {
      phoneNumberId,
      to: to!,
      type: payload.type as string,
      payload,
      messageId: makeWamid({ user: to, direction: 'out' }),
      receivedAt,
    };
    this.sent.push(record);
    const late = this.takeAnswerLate();
    if (late) {
      this.counts.answeredLate += 1;
      this.emit('sent', record);
      this.later(late.statusAfterMs ?? 0, () => this.reportSent(record));
      await this.waitOut(late.answerAfterMs, res);
      reply(res, 200, this.sendAnswer(record));
      return;
    }
    if (delayed && this.latency.acceptFirst) {
      this.emit('sent', record);
      this.reportSent(record);
      await this.waitOut(delayed, res);
      if (!res.destroyed) reply(res, 200, this.sendAnswer(record));
      return;
    }
    reply(res, 200, this.sendAnswer(record));
    this.emit('sent', record);
    this.reportSent(record);
  }

  private sendAnswer(record: SentRecord): Record<string, unknown> {
    const { payload, to } = record;
    const contact = typeof payload.to === 'string' ? { input: to, wa_id: to } : { input: to, user_id: to };
    const message = payload.type === 'template' ? { id: record.messageId, message_status: 'accepted' } : { id: record.messageId };
    return { messaging_product: 'whatsapp', contacts: [contact], messages: [message] };
  }

  private reportSent(record: SentRecord): void {
    const sink = this.statusSink;
    const options = this.statusOptions;
    if (!sink || !options) return;
    const user = typeof record.payload.to === 'string' ? { waId: record.to } : { userId: record.to };
    const callbackData = record.payload.biz_opaque_callback_data;
    const business = { ...DEFAULT_BUSINESS, phoneNumberId: record.phoneNumberId };
    const statuses = options.progress ? (['sent', 'delivered', 'read'] as const) : (['sent'] as const);
    const delay = options.delayMs?.() ?? 0;
    // Without `retry`, best effort, as the simulator's own bookkeeping: a failed post is not retried.
    const post = (async () => {
      if (delay > 0) {
        this.counts.statusesDelayed += 1;
        await this.pause(delay);
      }
      for (const status of statuses) {
        const item = statusUpdate(user, record.messageId, status, {
          business,
          ...(typeof callbackData === 'string' ? { callbackData } : {}),
        });
        const body = webhookBody([item]);
        for (let attempt = 0; !this.closed; attempt++) {
          const answer = await sink.post(body).catch(() => ({ status: 0 }));
          if (answer.status === 200 || !options.retry) break;
          this.counts.statusRetries += 1;
          await this.pause(Math.min(2_000, 100 * 2 ** attempt));
        }
        this.counts.statusesPosted += 1;
      }
    })();
    this.statusPosts.add(post);
    void post.finally(() => this.statusPosts.delete(post));
  }

  private takeAnswerLate(): AnswerLateSpec | undefined {
    const late = this.answerLate.find((l) => l.remaining > 0);
    if (!late) {
      const random = this.randomLate;
      return random && random.rng() < random.rate ? random.spec() : undefined;
    }
    late.remaining--;
    this.answerLate = this.answerLate.filter((l) => l.remaining > 0);
    return late;
  }

  /** Resolves after `ms`, or at once when the fake closes (a status post then gives up). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.pauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pauses.add(done);
    });
  }

  /** Runs `fn` after `ms` unless the fake closes first. */
  private later(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** The delay this request gets (consuming one of `requests`), or 0. */
  private takeLatency(endpoint: 'messages' | 'read'): number {
    const l = this.latency;
    if (l.ms <= 0 || l.remaining <= 0 || (l.endpoint !== 'any' && l.endpoint !== endpoint)) return 0;
    l.remaining--;
    return l.ms;
  }

  /** Waits `ms`; false (at once) when the client hangs up meanwhile. */
  private async waitOut(ms: number, res: ServerResponse): Promise<boolean> {
    let gone = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        res.off('close', onClose);
        resolve();
      }
      function onClose() {
        gone = !res.writableEnded;
        done();
      }
      res.once('close', onClose);
    });
    return !gone && !res.destroyed;
  }

  private takeFault(endpoint: 'messages' | 'read', to: string | undefined): PendingFault | undefined {
    const hits = (f: PendingFault) => {
      const target = f.endpoint ?? 'messages';
      return (target === 'any' || target === endpoint) && (f.to === undefined || f.to === to);
    };
    const fault = this.faults.find((f) => f.remaining > 0 && hits(f));
    if (!fault) {
      const random = this.randomFault;
      if (!random || random.rng() >= random.rate) return undefined;
      // One draw per send decides the fault; a second picks among several only when there are several, so a
      // caller's deterministic source lines up with its sends.
      const picked = random.faults.length === 1 ? random.faults[0]! : random.faults[Math.floor(random.rng() * random.faults.length)]!;
      return hits({ ...picked, remaining: 1 }) ? { ...picked, remaining: 1 } : undefined;
    }
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/__sim/sent') return reply(res, 200, this.sent);
    if (req.method === 'GET' && path === '/__sim/reads') return reply(res, 200, this.reads);
    if (req.method === 'GET' && path === '/__sim/requests') return reply(res, 200, this.requests);
    if (req.method === 'GET' && path === '/__sim/counts') return reply(res, 200, this.counts);
    if (req.method === 'POST' && path === '/__sim/reset') {
      this.reset();
      return reply(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__sim/faults') {
      const body = parseObject(await readBody(req)) ?? {};
      const fail = body.failNext as (FaultSpec & { count?: number }) | undefined;
      if (fail) this.failNext(fail.count ?? 1, fail);
      const late = body.answerLate as (AnswerLateSpec & { count?: number }) | undefined;
      if (late) this.answerLateNext(late.count ?? 1, late);
      const random = body.randomFault as (FaultSpec & { rate?: number }) | undefined;
      if (random) this.setRandomFaults(random.rate ?? 0, random);
      if (typeof body.latencyMs === 'number') {
        this.setLatency(body.latencyMs, typeof body.latencyRequests === 'number' ? { requests: body.latencyRequests } : {});
      }
      return reply(res, 200, { ok: true });
    }
    reply(res, 404, { error: 'unknown simulator control path' });
  }
}

function recipientOf(payload: Record<string, unknown> | null): string | undefined {
  if (typeof payload?.to === 'string') return payload.to;
  if (typeof payload?.recipient === 'string') return payload.recipient;
  return undefined;
}

function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
