// BullMQ.
import type { KeyFamily } from './key-family.js';

export const QUEUE_KEY_FAMILIES: readonly KeyFamily[] = [
  {
    pattern: '<q>:turns:…, <q>:reminders:…, <q>:operator-replies:…, <q>:identity-alerts:…, <q>:owed-cancels:…',
    builder: 'QueueName, jobOptions (shared/src/queues)',
    type: 'bullmq',
    holds:
      'jobs (session key; operator reply text; reminder recipient; owner alert recipient; clinic patient and appointment ids of an owed cancel), their dedupe keys and event streams',
    why: 'work queues',
    lifetime: 'waiting until run; completed 1 hour to 7 days, failed up to 30 days, capped by count',
    personal: 'direct',
    erasure: "the person's finished and waiting jobs, dedupe keys and events removed; a running job is reported",
  },
];
