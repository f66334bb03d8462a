export * from './handoff-store.js';
export * from './handoff-config.js';
export * from './transcript-store.js';
export * from './operator-reply-job.js';
