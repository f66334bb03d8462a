export * from './node-service.js';
export * from './worker-process.js';
