import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGraphCounts, ReadRecord, RequestRecord, SentRecord } from './fake-graph-records.js';
import { recipientOf, sendAnswer } from './fake-graph-records.js';
import { GraphFaultPlan, type AnswerLateSpec, type FaultSpec } from './graph-fault-plan.js';
import { handleSimControl } from './graph-sim-control.js';
import { checkReadPayload, checkSendPayload } from './graph-payload-check.js';
import { GraphStatusReporter, type StatusSinkOptions } from './graph-status-reporter.js';
import { parseObject, readBody, reply, waitOut } from './json-http.js';
import { defaultCodeForStatus, graphErrorBody } from './meta-errors.js';
import { makeWamid } from './wamid.js';

export type { FakeGraphCounts, ReadRecord, RequestRecord, SentRecord } from './fake-graph-records.js';
export type { AnswerLateSpec, FaultSpec } from './graph-fault-plan.js';
export type { StatusSinkOptions } from './graph-status-reporter.js';

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
  readonly counts: FakeGraphCounts = { faults: {}, answeredLate: 0, statusesPosted: 0, statusesDelayed: 0, statusRetries: 0 };
  private readonly plan = new GraphFaultPlan();
  private readonly statuses = new GraphStatusReporter(this.counts);
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

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
    this.plan.failNext(count, fault);
  }

  /**
   * Every matching call fails with `fault` (one of them, picked at random)
   * with probability `rate` (after any queued faults); `rate` 0 turns it
   * off. For benchmarks and soaks: a steady trickle of 429s or 500s rather
   * than a scripted sequence.
   */
  setRandomFaults(rate: number, fault: FaultSpec | FaultSpec[], rng: () => number = Math.random): void {
    this.plan.setRandomFaults(rate, fault, rng);
  }

  /** Each accepted send is answered late with probability `rate` (after any queued ones); `spec` is asked per send. */
  setRandomAnswerLate(rate: number, spec: AnswerLateSpec | (() => AnswerLateSpec), rng: () => number = Math.random): void {
    this.plan.setRandomAnswerLate(rate, spec, rng);
  }

  /** The next `count` accepted sends are answered late (see AnswerLateSpec), queued after earlier ones. */
  answerLateNext(count: number, spec: AnswerLateSpec): void {
    this.plan.answerLateNext(count, spec);
  }

  /**
   * Delays responses by `ms`; for the next `requests` calls only when given,
   * and only on `endpoint` when given. By default a client that hangs up
   * during the delay never "reached Meta" (nothing recorded); `acceptFirst`
   * records (and reports the status of) the message first and delays only
   * the answer: a send that reached WhatsApp whose sender never learned it.
   */
  setLatency(ms: number, opts: { requests?: number; endpoint?: 'messages' | 'read' | 'any'; acceptFirst?: boolean } = {}): void {
    this.plan.setLatency(ms, opts);
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
    this.statuses.target(target);
  }

  /** Forgets records, faults and latency. */
  reset(): void {
    this.sent.length = 0;
    this.reads.length = 0;
    this.requests.length = 0;
    this.plan.reset();
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
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.statuses.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/__sim/')) return handleSimControl(this, req, res, path);
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
    const delayed = this.plan.takeLatency(endpoint);
    if (delayed && !this.plan.acceptFirst && !(await waitOut(delayed, res))) {
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
    const fault = this.plan.takeFault(endpoint, to);
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
    const late = this.plan.takeAnswerLate();
    if (late) {
      this.counts.answeredLate += 1;
      this.emit('sent', record);
      this.later(late.statusAfterMs ?? 0, () => this.statuses.report(record));
      await waitOut(late.answerAfterMs, res);
      reply(res, 200, sendAnswer(record));
      return;
    }
    if (delayed && this.plan.acceptFirst) {
      this.emit('sent', record);
      this.statuses.report(record);
      await waitOut(delayed, res);
      if (!res.destroyed) reply(res, 200, sendAnswer(record));
      return;
    }
    reply(res, 200, sendAnswer(record));
    this.emit('sent', record);
    this.statuses.report(record);
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
}
