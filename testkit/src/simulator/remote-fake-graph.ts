import type { FakeGraphCounts, ReadRecord, RequestRecord, SentRecord } from './fake-graph-records.js';
import type { AnswerLateSpec, FaultSpec } from './graph-fault-plan.js';

/** Drives a FakeGraphApi running in another process (e.g. started by a benchmark) over `/__sim/*`. */
export class RemoteFakeGraph {
  constructor(readonly url: string) {}

  sent(): Promise<SentRecord[]> {
    return this.get('/__sim/sent') as Promise<SentRecord[]>;
  }

  reads(): Promise<ReadRecord[]> {
    return this.get('/__sim/reads') as Promise<ReadRecord[]>;
  }

  requests(): Promise<RequestRecord[]> {
    return this.get('/__sim/requests') as Promise<RequestRecord[]>;
  }

  /** What the fake injected and reported so far. */
  counts(): Promise<FakeGraphCounts> {
    return this.get('/__sim/counts') as Promise<FakeGraphCounts>;
  }

  async failNext(count: number, fault: FaultSpec): Promise<void> {
    await this.post('/__sim/faults', { failNext: { ...fault, count } });
  }

  async answerLateNext(count: number, spec: AnswerLateSpec): Promise<void> {
    await this.post('/__sim/faults', { answerLate: { ...spec, count } });
  }

  async setRandomFaults(rate: number, fault: FaultSpec): Promise<void> {
    await this.post('/__sim/faults', { randomFault: { ...fault, rate } });
  }

  async setLatency(ms: number, opts: { requests?: number } = {}): Promise<void> {
    await this.post('/__sim/faults', { latencyMs: ms, ...(opts.requests === undefined ? {} : { latencyRequests: opts.requests }) });
  }

  async reset(): Promise<void> {
    await this.post('/__sim/reset', {});
  }

  private async get(path: string): Promise<unknown> {
    const res = await fetch(this.url + path, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`fake graph ${path}: HTTP ${res.status}`);
    return res.json();
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`fake graph ${path}: HTTP ${res.status}`);
  }
}
