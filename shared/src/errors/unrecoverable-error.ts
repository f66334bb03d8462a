/** A failure that retrying can never fix (e.g. a Graph API 400); jobs must not retry it. */
export class UnrecoverableError extends Error {
  readonly code: string;
  constructor(message: string, code = 'UNRECOVERABLE') {
    super(message);
    this.name = 'UnrecoverableError';
    this.code = code;
  }
}
