import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ReportingExporter, type ExportFailureReport } from '../src/tracing/export-failures.js';

/** An exporter whose collector is up or down as the test says. */
function collector() {
  const state = { up: true };
  const exporter: SpanExporter = {
    export: (_spans, done) => done(state.up ? { code: 0 } : { code: 1, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') }),
    shutdown: () => Promise.resolve(),
  };
  return { state, exporter };
}

const spans = (n: number) => Array.from({ length: n }, () => ({}) as ReadableSpan);

describe('trace export failures are reported, not silent', () => {
  it('reports the first failure at once, then at most one summary per interval with the counts since', async () => {
    const { state, exporter } = collector();
    let clock = 1_000_000;
    const reports: ExportFailureReport[] = [];
    const reporting = new ReportingExporter(
      exporter,
      (r) => reports.push(r),
      60_000,
      () => clock,
    );
    const results: number[] = [];

    reporting.export(spans(3), (r) => results.push(r.code));
    expect(reports).toEqual([]);

    state.up = false;
    reporting.export(spans(4), (r) => results.push(r.code));
    expect(reports).toEqual([{ failedExports: 1, droppedSpans: 4, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') }]);

    // The outage goes on: nothing more within the minute…
    for (let i = 0; i < 10; i++) {
      clock += 1_000;
      reporting.export(spans(2), (r) => results.push(r.code));
    }
    expect(reports).toHaveLength(1);
    // …then one line with everything dropped since the first (on shutdown here, as the timer would a minute on).
    await reporting.shutdown();
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({ failedExports: 10, droppedSpans: 20 });
    // The SDK still gets each result as the exporter gave it.
    expect(results).toEqual([0, ...Array(11).fill(1)]);
  });

  it('reports again at once after a quiet interval', () => {
    const { state, exporter } = collector();
    let clock = 0;
    const reports: ExportFailureReport[] = [];
    const reporting = new ReportingExporter(
      exporter,
      (r) => reports.push(r),
      60_000,
      () => clock,
    );
    state.up = false;
    reporting.export(spans(1), () => undefined);
    clock += 61_000;
    reporting.export(spans(5), () => undefined);
    expect(reports.map((r) => r.droppedSpans)).toEqual([1, 5]);
  });
});
