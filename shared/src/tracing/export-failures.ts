import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core, which this package does not depend on directly. */
const SUCCESS = 0;

export interface ExportFailureReport {
  /** Exports that failed since the last report (each a batch of spans). */
  failedExports: number;
  /** Spans those exports dropped. */
  droppedSpans: number;
  /** The last failure's error, when the exporter gave one. */
  error?: Error;
}

/**
 * Says when spans could not be exported. The SDK drops a failed batch and,
 * without a diagnostic logger, says nothing: a collector that is down or
 * refusing the credentials would leave operators with no traces and no clue.
 * The first failure is reported at once, then at most one report per
 * `intervalMs` with the count since the last one, so a collector outage does
 * not flood the logs.
 */
export class ReportingExporter implements SpanExporter {
  private failedExports = 0;
  private droppedSpans = 0;
  private lastError: Error | undefined;
  private lastReportAt = -Infinity;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: SpanExporter,
    private readonly report: (r: ExportFailureReport) => void,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (Number(result.code) !== SUCCESS) this.failed(spans.length, result.error);
      resultCallback(result);
    });
  }

  private failed(spans: number, error: Error | undefined): void {
    this.failedExports += 1;
    this.droppedSpans += spans;
    this.lastError = error ?? this.lastError;
    const wait = this.lastReportAt + this.intervalMs - this.now();
    if (wait <= 0) this.flushReport();
    else this.pending ??= setTimeout(() => this.flushReport(), wait).unref();
  }

  private flushReport(): void {
    this.pending = undefined;
    if (this.failedExports === 0) return;
    this.lastReportAt = this.now();
    const r: ExportFailureReport = {
      failedExports: this.failedExports,
      droppedSpans: this.droppedSpans,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
    this.failedExports = 0;
    this.droppedSpans = 0;
    this.lastError = undefined;
    this.report(r);
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.pending);
    this.flushReport();
    await this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
