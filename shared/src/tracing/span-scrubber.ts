import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-node';

/**
 * Attributes a span may carry out of the process. Everything else is dropped:
 * instrumentations add attributes as they evolve (request bodies, Redis keys
 * with the patient's wa_id, BullMQ job options with the session key), and an
 * allowlist keeps a new one out until someone has judged it free of PII.
 */
const KEEP = new Set([
  // HTTP, both semantic-convention generations; URL-valued ones are rewritten below.
  'http.request.method',
  'http.method',
  'http.response.status_code',
  'http.status_code',
  'http.flavor',
  'network.protocol.version',
  'url.scheme',
  'server.address',
  'server.port',
  'net.host.name',
  'net.host.port',
  'net.peer.name',
  'net.peer.port',
  'error.type',
  // Redis: the command name only (the serializer drops its arguments).
  'db.system',
  'db.system.name',
  'db.operation.name',
  'db.statement',
  'db.query.text',
  // BullMQ: queue, job name and id, never its data, options or result.
  'bullmq.queue.name',
  'bullmq.queue.operation',
  'bullmq.job.name',
  'bullmq.job.id',
  'bullmq.job.attempts.made',
  'bullmq.worker.id',
  'bullmq.worker.name',
]);

/** URL-valued attributes: kept as scheme, host and a templated path, never the query. */
const FULL_URL = new Set(['url.full', 'http.url']);
const URL_PATH = new Set(['url.path', 'http.target']);

/** Attributes set by this project's own spans; only pseudonyms and counts go there. */
const OWN_PREFIX = 'medcita.';

/** A path segment that names a thing (`messages`, `v23.0`) stays; one that identifies one (a number, a wa_id, a token) becomes `{id}`. */
export function templatePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  return bare
    .split('/')
    .map((s) => (s === '' || /^[A-Za-z_-]{1,40}$/.test(s) || /^v\d+(\.\d+)?$/.test(s) ? s : '{id}'))
    .join('/');
}

function scrubUrl(value: string): string | undefined {
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}${templatePath(u.pathname)}`;
  } catch {
    return undefined;
  }
}

function scrubValue(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (FULL_URL.has(key)) return typeof value === 'string' ? scrubUrl(value) : undefined;
  if (URL_PATH.has(key)) return typeof value === 'string' ? templatePath(value) : undefined;
  if (key === 'db.statement' || key === 'db.query.text') return typeof value === 'string' ? value.split(' ', 1)[0] : undefined;
  if (key === 'bullmq.job.id') return typeof value === 'string' && /^\d+$/.test(value) ? value : undefined;
  if (KEEP.has(key) || key.startsWith(OWN_PREFIX)) return value;
  return undefined;
}

/** The attributes of `attrs` that may leave the process, URL values reduced to their templated path. */
export function scrubAttributes(attrs: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attrs)) {
    const kept = scrubValue(key, value);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

/** Long digit runs in a name (a phone number in a route, say) are replaced like path identifiers. */
function scrubName(name: string): string {
  return name.replace(/\d{6,}/g, '{id}');
}

function scrubEvent(event: TimedEvent): TimedEvent {
  const type = event.attributes?.['exception.type'];
  // Exception messages and stacks may quote what failed to parse: only the type leaves.
  return { name: event.name, time: event.time, ...(type !== undefined ? { attributes: { 'exception.type': type } } : {}) };
}

/** A view of `span` with only what may leave the process; everything else reads through to the original. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  return Object.create(span, {
    name: { value: scrubName(span.name), enumerable: true },
    attributes: { value: scrubAttributes(span.attributes), enumerable: true },
    events: { value: span.events.map(scrubEvent), enumerable: true },
    links: { value: span.links.map((l) => ({ context: l.context })), enumerable: true },
    // Error messages may quote input; the code says whether it failed.
    status: { value: { code: span.status.code }, enumerable: true },
  }) as ReadableSpan;
}

/** Wraps the real exporter so no span reaches it unscrubbed. */
export class ScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(scrubSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
