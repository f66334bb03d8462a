export * from './node-service.js';
export * from './worker-process.js';
export * from './kill-on-exit.js';
