// `@medcita/shared/tracing`: what a service entry imports before anything else.
// Nothing here may import an instrumented module (node:http, ioredis, bullmq).
export { startTracing } from './start-tracing.js';
