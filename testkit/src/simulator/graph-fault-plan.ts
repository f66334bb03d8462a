export type GraphEndpoint = 'messages' | 'read';

interface LatencySpec {
  ms: number;
  remaining: number;
  endpoint: GraphEndpoint | 'any';
  acceptFirst: boolean;
}

export interface FaultSpec {
  status: number;
  /** Graph error code; defaults from status (429 → 130429, 5xx → 131000, 400 → 100). */
  code?: number;
  /** Only requests to this recipient (`to` or `recipient`) fail. */
  to?: string;
  /** Which calls the fault hits; default `messages` (sends, not mark-as-read). */
  endpoint?: GraphEndpoint | 'any';
}

interface PendingFault extends FaultSpec {
  remaining: number;
}

/**
 * "Accepted, answered late": WhatsApp takes the message (the user gets it,
 * its `sent` status goes out) but the HTTP answer comes after
 * `answerAfterMs`, typically past the client's timeout, so the sender cannot
 * tell it from a lost request.
 */
export interface AnswerLateSpec {
  answerAfterMs: number;
  /** When the `sent` status webhook goes out, counted from acceptance; default 0. */
  statusAfterMs?: number;
}

interface PendingAnswerLate extends AnswerLateSpec {
  remaining: number;
}

const NO_LATENCY: LatencySpec = { ms: 0, remaining: Infinity, endpoint: 'any', acceptFirst: false };

/**
 * What the fake Graph API does to the requests it gets: queued and random
 * faults, late answers and latency, each taken per request. FakeGraphApi's
 * methods of the same names say what each means.
 */
export class GraphFaultPlan {
  private faults: PendingFault[] = [];
  private answerLate: PendingAnswerLate[] = [];
  private randomFault: { rate: number; faults: FaultSpec[]; rng: () => number } | undefined;
  private randomLate: { rate: number; spec: () => AnswerLateSpec; rng: () => number } | undefined;
  private latency: LatencySpec = { ...NO_LATENCY };

  failNext(count: number, fault: FaultSpec): void {
    this.faults.push({ ...fault, remaining: count });
  }

  setRandomFaults(rate: number, fault: FaultSpec | FaultSpec[], rng: () => number): void {
    const faults = Array.isArray(fault) ? fault : [fault];
    this.randomFault = rate > 0 && faults.length > 0 ? { rate, faults, rng } : undefined;
  }

  setRandomAnswerLate(rate: number, spec: AnswerLateSpec | (() => AnswerLateSpec), rng: () => number): void {
    this.randomLate = rate > 0 ? { rate, spec: typeof spec === 'function' ? spec : () => spec, rng } : undefined;
  }

  answerLateNext(count: number, spec: AnswerLateSpec): void {
    this.answerLate.push({ ...spec, remaining: count });
  }

  setLatency(ms: number, opts: { requests?: number; endpoint?: GraphEndpoint | 'any'; acceptFirst?: boolean }): void {
    this.latency = { ms, remaining: opts.requests ?? Infinity, endpoint: opts.endpoint ?? 'any', acceptFirst: opts.acceptFirst ?? false };
  }

  /** Whether the latency set last delays only the answer, after the message was recorded. */
  get acceptFirst(): boolean {
    return this.latency.acceptFirst;
  }

  reset(): void {
    this.faults = [];
    this.answerLate = [];
    this.randomFault = undefined;
    this.randomLate = undefined;
    this.latency = { ...NO_LATENCY };
  }

  takeAnswerLate(): AnswerLateSpec | undefined {
    const late = this.answerLate.find((l) => l.remaining > 0);
    if (!late) {
      const random = this.randomLate;
      return random && random.rng() < random.rate ? random.spec() : undefined;
    }
    late.remaining--;
    this.answerLate = this.answerLate.filter((l) => l.remaining > 0);
    return late;
  }

  /** The delay this request gets (consuming one of `requests`), or 0. */
  takeLatency(endpoint: GraphEndpoint): number {
    const l = this.latency;
    if (l.ms <= 0 || l.remaining <= 0 || (l.endpoint !== 'any' && l.endpoint !== endpoint)) return 0;
    l.remaining--;
    return l.ms;
  }

  takeFault(endpoint: GraphEndpoint, to: string | undefined): PendingFault | undefined {
    const hits = (f: PendingFault) => {
      const target = f.endpoint ?? 'messages';
      return (target === 'any' || target === endpoint) && (f.to === undefined || f.to === to);
    };
    const fault = this.faults.find((f) => f.remaining > 0 && hits(f));
    if (!fault) {
      const random = this.randomFault;
      if (!random || random.rng() >= random.rate) return undefined;
      // One draw per send decides the fault; a second picks among several only when there are several, so a
      // caller's deterministic source lines up with its sends.
      const picked = random.faults.length === 1 ? random.faults[0]! : random.faults[Math.floor(random.rng() * random.faults.length)]!;
      return hits({ ...picked, remaining: 1 }) ? { ...picked, remaining: 1 } : undefined;
    }
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }
}
