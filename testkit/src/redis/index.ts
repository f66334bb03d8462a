export * from './redis-server.js';
export * from './redis-cluster.js';
export * from './test-redis.js';
export * from './socket-writes.js';
