import {
  LogEvent,
  QueueName,
  TranscriptStore,
  type HandoffStore,
  type Logger,
  type OperatorReplyJob,
  type RedisClient,
} from '@medcita/shared';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import type { OperatorAuth } from '../admin/operator-auth.js';
import { handoffRoutes } from '../routes/handoff.js';
import { InboxService } from './inbox-service.js';
import { inboxRoutes } from './inbox-routes.js';
import { VersionWatcher } from './version-watcher.js';

export interface InboxWiringConfig {
  KEY_PREFIX: string;
  QUEUE_PREFIX: string;
  HANDOFF_TRANSCRIPT_TTL_SECONDS: number;
  HANDOFF_CONTEXT_MESSAGES: number;
  HANDOFF_TEMPLATE_NAME: string;
  HANDOFF_TEMPLATE_LANGUAGE: string;
  CLINIC_TIMEZONE: string;
}

export interface RunningInbox {
  replies: Queue<OperatorReplyJob>;
  transcripts: TranscriptStore;
  mounts(auth: OperatorAuth): Router[];
  close(): Promise<void>;
}

/** The operator inbox's parts on the ingress: the reply queue, the transcript store, the live-update watcher. */
export function createInbox(deps: {
  config: InboxWiringConfig;
  redis: RedisClient;
  handoff: HandoffStore;
  logger: Logger;
  now?: () => number;
}): RunningInbox {
  const { config, redis, handoff, logger } = deps;
  const replies = new Queue<OperatorReplyJob>(QueueName.OperatorReplies, { connection: redis, prefix: config.QUEUE_PREFIX });
  replies.on('error', (err) => logger.warn({ err: err.message }, LogEvent.QueueError));
  const transcripts = new TranscriptStore(redis, {
    keyPrefix: config.KEY_PREFIX,
    contextLines: config.HANDOFF_CONTEXT_MESSAGES,
    // The ingress never writes context lines; only transcript lines (operator replies, notes).
    contextTtlSeconds: 60,
    transcriptTtlSeconds: config.HANDOFF_TRANSCRIPT_TTL_SECONDS,
  });
  const inbox = new InboxService(
    { redis, handoff, transcripts, replies },
    {
      keyPrefix: config.KEY_PREFIX,
      template: { name: config.HANDOFF_TEMPLATE_NAME, language: config.HANDOFF_TEMPLATE_LANGUAGE },
      ...(deps.now ? { now: deps.now } : {}),
    },
  );
  const watcher = new VersionWatcher(() => handoff.version(), logger);
  return {
    replies,
    transcripts,
    mounts: (auth) => {
      const api = auth.require('api');
      const csrf = auth.csrf();
      return [
        inboxRoutes(auth, {
          inbox,
          watcher,
          version: () => handoff.version(),
          timeZone: config.CLINIC_TIMEZONE,
          ...(deps.now ? { now: deps.now } : {}),
        }),
        handoffRoutes(
          {
            list: () => handoff.list(),
            release: async (sessionKey, operator) => {
              const r = await inbox.release(sessionKey, operator ?? '');
              return r.ok ? true : r.status === 409 ? 'held' : false;
            },
          },
          (req, res, next) => api(req, res, (err?: unknown) => (err ? next(err) : csrf(req, res, next))),
        ),
      ];
    },
    close: async () => {
      watcher.close();
      await replies.close();
    },
  };
}
