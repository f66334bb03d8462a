import { int, optionalStr, ratio, url, type VarSpec } from '../config/env-schema.js';

const otlpHeaders: VarSpec<string | undefined> = {
  doc: 'Headers sent with every export to the collector (e.g. its API key): key=value pairs separated by commas',
  secret: true,
  parse(raw) {
    if (raw === undefined || raw.trim() === '') return undefined;
    for (const pair of raw.split(',')) {
      if (!/^\s*[^=\s]+\s*=.+$/.test(pair)) throw new Error('must be key=value pairs separated by commas');
    }
    return raw;
  },
};

function optionalUrl(doc: string): VarSpec<string | undefined> {
  const spec = url({ doc, protocols: ['http:', 'https:'] });
  return { doc, parse: (raw) => (raw === undefined || raw.trim() === '' ? undefined : spec.parse(raw)) };
}

/**
 * Tracing (docs/operations.md, "Tracing"). The OpenTelemetry SDK reads most of
 * these itself; they are declared here so a bad value stops the process and
 * the README lists them.
 */
export const tracingSchema = {
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(
    'OTLP/HTTP collector base URL (spans are posted to its /v1/traces); unset: tracing is off and no OpenTelemetry code is loaded',
  ),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders,
  OTEL_SERVICE_NAME: optionalStr({ doc: 'Service name on the spans; default medcita-ingress or medcita-worker' }),
  OTEL_TRACES_SAMPLER_ARG: ratio({
    default: 1,
    doc: 'Share of webhook deliveries traced, 0 to 1 (the turn and Graph calls follow their webhook)',
  }),
  OTEL_BSP_SCHEDULE_DELAY: int({
    default: 5_000,
    min: 1,
    max: 60_000,
    doc: 'Milliseconds finished spans wait before they are exported in a batch',
  }),
} as const;
