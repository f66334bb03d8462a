import { UnrecoverableError } from '@medcita/shared';

/**
 * The backend refused the request itself (400, 401, 403, an unexpected
 * status) or answered something outside the contract: a deployment or
 * programming problem that retrying cannot fix.
 */
export class ClinicRequestError extends UnrecoverableError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message, 'CLINIC_BAD_REQUEST');
    this.name = 'ClinicRequestError';
  }
}
