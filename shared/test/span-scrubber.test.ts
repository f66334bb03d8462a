import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ScrubbingExporter, templatePath } from '../src/tracing/span-scrubber.js';

describe('what a span may carry out of the process', () => {
  it('keeps a path segment that names a thing and replaces one that identifies someone', () => {
    expect(templatePath('/v23.0/106540352242922/messages')).toBe('/v23.0/{id}/messages');
    expect(templatePath('/admin/inbox/c/106540352242922:59170000001?x=1')).toBe('/admin/inbox/c/{id}');
    expect(templatePath('/api/v1/pacientes/P-0042/citas')).toBe('/api/v1/pacientes/{id}/citas');
    expect(templatePath('/webhook?hub.verify_token=secret')).toBe('/webhook');
  });

  it('drops attributes nobody vetted, message text and the patient, and keeps the ones that explain a trace', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ScrubbingExporter(memory))] });
    const span = provider.getTracer('t').startSpan('POST 59170000001');
    span.setAttributes({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': 'https://graph.example/v23.0/1065403/messages?access_token=secret',
      'http.request.body': '{"to":"59170000001","text":{"body":"hola"}}',
      'db.query.text': 'evalsha abc 1 mc:{1065403:59170000001}:inbox',
      'bullmq.job.options': '{"deduplication":{"id":"1065403:59170000001"}}',
      'bullmq.job.id': '17',
      'medcita.session': '25c6ff2ea67049e8',
    });
    span.recordException(new Error('no patient with document 7654321'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'document 7654321' });
    span.end();
    await provider.forceFlush();

    const [out] = memory.getFinishedSpans();
    expect(out!.name).toBe('POST {id}');
    expect(out!.attributes).toEqual({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': 'https://graph.example/v23.0/{id}/messages',
      'db.query.text': 'evalsha',
      'bullmq.job.id': '17',
      'medcita.session': '25c6ff2ea67049e8',
    });
    expect(out!.events.map((e) => e.attributes)).toEqual([{ 'exception.type': 'Error' }]);
    expect(out!.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(out!.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
