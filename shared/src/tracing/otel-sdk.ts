import { context, SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { BullMQOtel } from 'bullmq-otel';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { ReportingExporter, type ExportFailureReport } from './export-failures.js';
import { ScrubbingExporter } from './span-scrubber.js';
import type { TracingHooks } from './trace-hooks.js';

export interface OtelOptions {
  serviceName: string;
  /** Where spans go; the OTLP/HTTP exporter to `endpoint` unless a test passes its own. */
  endpoint?: string;
  exporter?: SpanExporter;
  sampleRatio: number;
  scheduleDelayMs: number;
  /** Told when spans could not be exported (first failure at once, then at most once a minute). */
  onExportFailure?: (report: ExportFailureReport) => void;
}

/**
 * A trace starts only at a webhook delivery (an incoming HTTP request that
 * the ingress did not ignore). BullMQ's idle polls, stalled-job checks and
 * the reminder tick would otherwise each start a trace of their own.
 */
class WebhookRootSampler implements Sampler {
  private readonly ratio: TraceIdRatioBasedSampler;
  constructor(ratio: number) {
    this.ratio = new TraceIdRatioBasedSampler(ratio);
  }
  shouldSample(ctx: Context, traceId: string, _name: string, kind: SpanKind) {
    if (kind !== SpanKind.SERVER) return { decision: SamplingDecision.NOT_RECORD };
    return this.ratio.shouldSample(ctx, traceId);
  }
  toString(): string {
    return `WebhookRootSampler{${this.ratio.toString()}}`;
  }
}

/** Only Meta's deliveries are traced: the admin port's URLs carry the patient's wa_id, and probes are noise. */
function notAWebhook(req: IncomingMessage): boolean {
  return !(req.method === 'POST' && (req.url === '/webhook' || req.url?.startsWith('/webhook?') === true));
}

/**
 * Starts the SDK: the module hooks first (instrumentations patch `node:http`
 * and ioredis as they load, so the service's own modules must be imported
 * after this resolves), then the provider and the hooks the code asks for.
 */
export async function startOtel(opts: OtelOptions): Promise<TracingHooks> {
  // Only the modules an instrumentation asked for are wrapped, not every import.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const exporter = opts.exporter ?? new OTLPTraceExporter({ url: `${opts.endpoint}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    sampler: new ParentBasedSampler({ root: new WebhookRootSampler(opts.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(new ScrubbingExporter(new ReportingExporter(exporter, opts.onExportFailure ?? (() => undefined))), {
        scheduledDelayMillis: opts.scheduleDelayMs,
      }),
    ],
  });
  provider.register();

  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: notAWebhook,
        // Outgoing node:http calls are the exporter's own; the Graph API (undici.request) and the clinic (fetch) go through undici.
        disableOutgoingRequestInstrumentation: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new IORedisInstrumentation({
        requireParentSpan: true,
        // Arguments are keys with the session (business number and wa_id) and message text.
        dbStatementSerializer: (command) => command,
      }),
    ],
  });
  await waitForAllMessagesAcknowledged();

  const tracer = provider.getTracer('medcita');
  return {
    telemetry: new BullMQOtel({ tracerName: 'medcita' }),
    inSpan: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes }, context.active(), async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.recordException({ name: (err as Error).name ?? 'Error' });
          throw err;
        } finally {
          span.end();
        }
      }),
    flush: () => provider.forceFlush(),
  };
}
