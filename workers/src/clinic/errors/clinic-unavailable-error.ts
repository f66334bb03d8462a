export type UnavailableReason = 'timeout' | 'server_error' | 'network' | 'circuit_open';

/**
 * The clinic backend cannot answer right now (timeout, 5xx/429, connection
 * refused, or the circuit breaker is open). The dialog turns this into a
 * polite "intenta más tarde" instead of a hung turn.
 */
export class ClinicUnavailableError extends Error {
  readonly code = 'CLINIC_UNAVAILABLE';
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClinicUnavailableError';
  }
}
