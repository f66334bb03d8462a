import { parseEnv } from '../config/env-schema.js';
import { ConfigError } from '../errors/config-error.js';
import { installTracingHooks } from './trace-hooks.js';
import { tracingSchema } from './tracing-config.js';

/**
 * The first thing a service's entry awaits. With OTEL_EXPORTER_OTLP_ENDPOINT
 * unset it loads nothing and returns false; set, it starts the SDK and its
 * instrumentations, which patch `node:http` and ioredis as they are imported,
 * so the entry imports the rest of the service only after this resolves.
 * A bad tracing variable leaves tracing off here: the service's own schema
 * includes these variables, so it then refuses to start naming them with
 * every other bad one.
 */
export async function startTracing(service: 'ingress' | 'worker', env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  let config;
  try {
    config = parseEnv(tracingSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return false;
  const { startOtel } = await import('./otel-sdk.js');
  const { createLogger } = await import('../logging/logger.js');
  // Warnings only: the service's own logger (and its LOG_LEVEL) does not exist yet.
  const logger = createLogger({ level: 'warn', service }).child({ component: 'tracing' });
  installTracingHooks(
    await startOtel({
      serviceName: config.OTEL_SERVICE_NAME ?? `medcita-${service}`,
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
      scheduleDelayMs: config.OTEL_BSP_SCHEDULE_DELAY,
      onExportFailure: ({ error, ...counts }) =>
        logger.warn({ ...counts, err: error }, 'trace export failed; spans dropped (is the collector at OTEL_EXPORTER_OTLP_ENDPOINT up?)'),
    }),
  );
  return true;
}
