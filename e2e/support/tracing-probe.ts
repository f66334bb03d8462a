// Run as its own process by e2e/test/tracing.test.ts: starts tracing the way
// a service entry does, then reports whether node:http and ioredis came out patched.
import { startTracing } from '@medcita/shared/tracing';

const on = await startTracing('worker');
const http = await import('node:http');
const { Redis } = await import('ioredis');
// shimmer marks what it wrapped; read as properties, never called.
const patched = (owner: object, name: string) => '__wrapped' in (Reflect.get(owner, name) as object);
process.stdout.write(
  `${JSON.stringify({
    on,
    http: patched(http.Server.prototype, 'emit'),
    ioredis: patched(Redis.prototype, 'sendCommand'),
    otelApi: Symbol.for('opentelemetry.js.api.1') in globalThis,
  })}\n`,
);
process.exit(0);
