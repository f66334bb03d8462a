export * from './graph-client.js';
export * from './graph-env.js';
export * from './graph-failure.js';
export * from './outbound-payload.js';
export * from './send-limiter.js';
export * from './send-ledger.js';
export * from './backoff.js';
