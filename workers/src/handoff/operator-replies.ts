import {
  fleetWorkerOptions,
  LogEvent,
  fleetKeys,
  HandoffReason,
  JobName,
  jobOptions,
  OperatorReplyKey,
  operatorAuditFields,
  QueueName,
  sessionHash,
  UnrecoverableError,
  type HandoffStore,
  type HandoffTimeoutJob,
  type Logger,
  type OperatorReplyJob,
  type RedisClient,
  type ReplyStatus,
  type TranscriptStore,
} from '@medcita/shared';
import { Queue, Worker, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { ReplySender } from '../pipeline/ports.js';
import { timeoutJobId } from './operator-handoff.js';

/** Reason labels of the operator notice (the inbox has its own, same wording). */
export const REASON_TEXT: Record<string, string> = {
  [HandoffReason.AskedForPerson]: 'pidió hablar con una persona',
  [HandoffReason.Misunderstood]: 'el asistente no entendió dos veces',
  [HandoffReason.ClinicOutage]: 'falla del sistema de la clínica',
};

/** Graph error: more than 24 hours since the patient last wrote; only a template gets through. */
const WINDOW_CLOSED = '131047';

export interface OperatorRepliesDeps {
  redis: RedisClient;
  keyPrefix: string;
  queuePrefix: string;
  sender: ReplySender;
  store: HandoffStore;
  transcripts: TranscriptStore;
  logger: Logger;
  /** Told to the patient when nobody took the handoff in time. */
  timeoutText: string;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

export interface RunningOperatorReplies {
  queue: Queue<OperatorReplyJob | HandoffTimeoutJob>;
  close(): Promise<void>;
}

/**
 * Operator replies go out like the bot's: through the Graph client, so they
 * are paced by the fleet-wide limiter and sent once per reply id (the job id
 * and the idempotency key). Each is recorded in the audit stream with the
 * operator's id. The same queue carries each handoff's timer.
 */
export function startOperatorReplies(deps: OperatorRepliesDeps): RunningOperatorReplies {
  const { redis, logger } = deps;
  const queue = new Queue<OperatorReplyJob | HandoffTimeoutJob>(QueueName.OperatorReplies, { connection: redis, prefix: deps.queuePrefix });
  queue.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));

  const audit = (
    r: Omit<Parameters<typeof operatorAuditFields>[0], 'rid' | 'sessionHash' | 'business' | 'at'> & { sessionKey: string; rid?: string },
  ) =>
    redis.xadd(
      fleetKeys(deps.keyPrefix).audit,
      'MAXLEN',
      '~',
      '100000',
      '*',
      ...operatorAuditFields({
        rid: r.rid ?? randomUUID(),
        action: r.action,
        operator: r.operator,
        outcome: r.outcome ?? 'ok',
        sessionHash: sessionHash(r.sessionKey),
        business: r.sessionKey.split(':')[0] ?? '',
        at: Date.now(),
      }),
    );

  const setStatus = async (sessionKey: string, replyId: string, status: ReplyStatus) => {
    if (await deps.transcripts.setStatus(sessionKey, replyId, status)) await deps.store.bump();
  };

  const reply = async (job: Job<OperatorReplyJob>) => {
    const { sessionKey, replyId, operator, address, message } = job.data;
    const action = message.kind === 'template' ? 'template' : 'reply';
    const log = logger.child({ session: sessionHash(sessionKey), replyId, operator, kind: message.kind });
    try {
      await deps.sender.send(address, message, { idempotencyKey: OperatorReplyKey.make(sessionKey, replyId) });
    } catch (err) {
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!final) throw err;
      const status: ReplyStatus = err instanceof UnrecoverableError && err.code === WINDOW_CLOSED ? 'window_closed' : 'failed';
      log.warn({ code: err instanceof UnrecoverableError ? err.code : undefined, status }, 'operator reply not delivered');
      await setStatus(sessionKey, replyId, status);
      await audit({ rid: replyId, action, operator, sessionKey, outcome: status });
      return;
    }
    await setStatus(sessionKey, replyId, 'sent');
    await audit({ rid: replyId, action, operator, sessionKey, outcome: 'sent' });
    log.info('operator reply sent');
  };

  const timeout = async (job: Job<HandoffTimeoutJob>) => {
    const { sessionKey, flaggedAt } = job.data;
    const handoff = await deps.store.get(sessionKey);
    const outcome = await deps.store.expire(sessionKey, flaggedAt);
    if (outcome === 'over') return;
    if (typeof outcome === 'number') {
      // Someone took it or replied since: wait again until the new expiry.
      await queue.add(JobName.HandoffTimeout, job.data, {
        jobId: `${timeoutJobId(sessionKey, flaggedAt)}_${outcome}`,
        delay: Math.max(0, outcome - Date.now()),
        ...jobOptions[JobName.HandoffTimeout],
      });
      return;
    }
    const id = `hto|${sessionKey}|${flaggedAt}`;
    await deps.transcripts.record(
      sessionKey,
      [
        { id: `timeout:${flaggedAt}`, dir: 'note', kind: 'timeout', at: Date.now() },
        { id, dir: 'out', kind: 'text', text: deps.timeoutText, at: Date.now() },
      ],
      true,
    );
    await deps.store.bump();
    if (handoff?.address) await deps.sender.send(handoff.address, { kind: 'text', body: deps.timeoutText }, { idempotencyKey: id });
    await audit({ action: 'timeout', operator: handoff?.assignee ?? 'nadie', sessionKey });
    logger.info({ session: sessionHash(sessionKey), taken: Boolean(handoff?.assignee) }, 'handoff timed out; the bot resumes');
  };

  const worker = new Worker<OperatorReplyJob | HandoffTimeoutJob>(
    QueueName.OperatorReplies,
    async (job) => (job.name === JobName.HandoffTimeout ? timeout(job as Job<HandoffTimeoutJob>) : reply(job as Job<OperatorReplyJob>)),
    {
      connection: redis,
      prefix: deps.queuePrefix,
      concurrency: 4,
      stalledInterval: deps.stalledIntervalMs,
      lockDuration: deps.lockDurationMs,
      ...fleetWorkerOptions(),
    },
  );
  worker.on('error', (err) => logger.warn({ err: err.message }, 'operator-replies worker error'));
  return {
    queue,
    close: async () => {
      await worker.close().catch((err) => logger.warn({ err }, 'operator-replies worker close failed'));
      await queue.close().catch(() => undefined);
    },
  };
}
