// Tracing must patch node:http and ioredis before they load, so the service's
// modules are imported only once it has started (or found it is off).
import { startTracing } from '@medcita/shared/tracing';

await startTracing('worker');
await import('./worker-main.js');
