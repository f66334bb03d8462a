import type { Telemetry } from 'bullmq';

/**
 * What the tracing SDK lends the rest of the process once it has started
 * (docs/operations.md, "Tracing"). Code that wants a span or BullMQ's
 * telemetry asks here, so with tracing off it imports no OpenTelemetry code
 * and pays one `undefined` check.
 */
export interface TracingHooks {
  /** BullMQ's telemetry option: spans for add/process and the trace context carried inside the job. */
  readonly telemetry: Telemetry;
  /** Runs `fn` in a span named `name`, a child of the active one. */
  inSpan<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T>;
  /** Exports the spans still buffered; called on shutdown. */
  flush(): Promise<void>;
}

let hooks: TracingHooks | undefined;

export function installTracingHooks(h: TracingHooks | undefined): void {
  hooks = h;
}

export function tracingEnabled(): boolean {
  return hooks !== undefined;
}

/** Spread into a BullMQ Queue's or Worker's options. */
export function queueTelemetry(): { telemetry?: Telemetry } {
  return hooks ? { telemetry: hooks.telemetry } : {};
}

/** `fn` in a span when tracing is on; `fn` alone otherwise. Attributes must be free of PII (use sessionHash). */
export function inSpan<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T> {
  return hooks ? hooks.inSpan(name, attributes, fn) : fn();
}

export async function flushTracing(): Promise<void> {
  await hooks?.flush();
}
