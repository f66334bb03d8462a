import { createLogger, SessionInbox, signPayload, TurnScheduler, type ParsedWebhook, type SessionTurnJob } from '@medcita/shared';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { StatusRecorder } from '../../ingress/src/services/status-recorder.js';
import { WebhookAcceptor } from '../../ingress/src/services/webhook-acceptor.js';
import { createWebhookHandler, type WebhookOutcome } from '../../ingress/src/services/webhook-handler.js';

export const FUZZ_SECRET = 'fuzz-app-secret';

export type SignatureCase = 'valid' | 'bad' | 'missing' | 'mangled';

/** What one execution did. */
export interface Execution {
  status: number;
  outcome: WebhookOutcome | undefined;
  /** Redis commands the execution sent. */
  commands: number;
  /** Message wamids the parser produced (accepted or duplicate). */
  wamids: string[];
  /** Set when an invariant broke: the input is a crash. */
  failure?: string;
}

const DOCUMENTED: Record<number, WebhookOutcome[]> = {
  200: ['accepted', 'duplicate', 'unparseable'],
  401: ['bad_signature'],
};

/**
 * The ingress's webhook path minus HTTP: the real handler (signature check
 * over the exact bytes, JSON parse, parseWebhook), the real acceptor (the
 * acceptMessage script, BullMQ scheduling, status recording) on a private key
 * and queue prefix. Every Redis command the client sends is counted, so an
 * execution that was refused can be shown to have written nothing.
 */
export class WebhookTarget {
  private commands = 0;
  private lastError: string | undefined;
  private readonly acceptor: WebhookAcceptor;
  readonly queue: Queue<SessionTurnJob>;
  private readonly logger = createLogger({
    level: 'error',
    service: 'fuzz',
    destination: new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.lastError = chunk.toString().slice(0, 2_000);
        done();
      },
    }),
  });

  constructor(
    readonly redis: Redis,
    readonly keyPrefix: string,
    readonly queuePrefix: string,
  ) {
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
      this.commands += 1;
      return send(...args);
    };
    this.queue = new Queue<SessionTurnJob>('turns', { connection: redis, prefix: queuePrefix });
    this.acceptor = new WebhookAcceptor(
      new SessionInbox(redis, { keyPrefix, seenTtlSeconds: 3_600 }),
      new TurnScheduler(this.queue, 1),
      new StatusRecorder(redis, { keyPrefix, maxFailures: 1_000 }),
      Date.now,
      true, // one connection, as the ingress on a single Redis: the job add rides in the push's round trip
    );
  }

  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  signatureFor(raw: Buffer, kind: SignatureCase): string | undefined {
    switch (kind) {
      case 'valid':
        return signPayload(FUZZ_SECRET, raw);
      case 'bad':
        return signPayload(`${FUZZ_SECRET}x`, raw);
      case 'missing':
        return undefined;
      case 'mangled':
        return signPayload(FUZZ_SECRET, raw).slice(0, 40);
    }
  }

  /**
   * Runs one body. Invariants: no exception escapes; the answer is a
   * documented one (200 accepted/duplicate/unparseable, 401 bad signature;
   * never 5xx while Redis is up); a refused or unparseable body sends no
   * Redis command; an unsigned or badly signed body is never accepted.
   */
  async exec(raw: Buffer, signature: SignatureCase): Promise<Execution> {
    // Set by the handler's callbacks (an object, so the compiler does not narrow them to their initial value).
    const seen: { outcome?: WebhookOutcome; parsed?: ParsedWebhook } = {};
    const handler = createWebhookHandler({
      appSecret: FUZZ_SECRET,
      acceptor: this.acceptor,
      logger: this.logger,
      onOutcome: (o) => (seen.outcome = o),
      onParsed: (p) => (seen.parsed = p),
    });
    const before = this.commands;
    this.lastError = undefined;
    let status: number;
    try {
      status = (await handler(raw, this.signatureFor(raw, signature), { requestId: 'fuzz' })).status;
    } catch (err) {
      return {
        status: 0,
        outcome: seen.outcome,
        commands: this.commands - before,
        wamids: [],
        failure: `exception: ${(err as Error).stack ?? String(err)}`,
      };
    }
    const commands = this.commands - before;
    const { outcome, parsed } = seen;
    const logged = this.loggedError();
    const wamids = (parsed?.events ?? []).flatMap((e) => (e.type === 'message' ? [e.message.wamid] : []));
    const result: Execution = { status, outcome, commands, wamids };
    if (!outcome || !DOCUMENTED[status]?.includes(outcome))
      result.failure = `answer ${status} (${outcome ?? 'no outcome'}) is not a documented one${logged ? `: ${logged}` : ''}`;
    else if (signature !== 'valid' && status !== 401) result.failure = `a ${signature} signature was answered ${status}`;
    else if ((outcome === 'bad_signature' || outcome === 'unparseable') && commands > 0)
      result.failure = `a refused body (${outcome}) sent ${commands} Redis command(s)`;
    return result;
  }

  /** The last error the handler logged during this execution (written from the logger's stream). */
  private loggedError(): string | undefined {
    return this.lastError;
  }

  /** Keys written under the private prefixes (the queue's own bookkeeping keys aside). */
  async keys(): Promise<string[]> {
    return [
      ...(await this.redis.keys(`${this.keyPrefix}:*`)),
      ...(await this.redis.keys(`${this.queuePrefix}:*`)).filter((k) => !/:(meta|events|id)$/.test(k)),
    ];
  }

  /** Deletes everything under the private prefixes. */
  async clear(): Promise<void> {
    for (const pattern of [`${this.keyPrefix}:*`, `${this.queuePrefix}:*`]) {
      const keys = await this.redis.keys(pattern);
      for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
    }
  }
}
