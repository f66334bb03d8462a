/**
 * Reading the clinic backend's answers: a status the contract does not allow
 * at that call, a refusal without an allowed `motivo`, or a missing field is
 * a ClinicRequestError.
 */
import { ClinicRequestError } from '../errors/clinic-request-error.js';
import type { ClinicHttpClient, ClinicRequest, ClinicResponse } from './clinic-http-client.js';
import { reasonOf, type PortReason } from './wire-format.js';

/** The contract's path prefix (docs/clinic-api.openapi.yaml), and one path segment escaped. */
export const API = '/api/v1';
export const seg = encodeURIComponent;

/** The answer to `req`, when its status is one of `expected`. */
export async function callClinic(client: ClinicHttpClient, req: ClinicRequest, expected: number[]): Promise<ClinicResponse> {
  const res = await client.request(req);
  if (!expected.includes(res.status)) {
    throw new ClinicRequestError(
      `clinic backend answered ${res.status} to ${req.method} ${req.path.split('/').slice(0, 4).join('/')}`,
      res.status,
    );
  }
  return res;
}

/** The port's reason for a refusal, one of those `allowed` at this call (a bare 404 reads as not_found where allowed). */
export function refusalReason<R extends PortReason>(res: ClinicResponse, allowed: R[]): R {
  const reason = reasonOf((res.body as { motivo?: unknown } | undefined)?.motivo);
  if (reason && (allowed as PortReason[]).includes(reason)) return reason as R;
  if (res.status === 404 && (allowed as PortReason[]).includes('not_found')) return 'not_found' as R;
  throw new ClinicRequestError(`clinic backend answered ${res.status} with an unexpected motivo`, res.status);
}

/** A field the contract requires in the body. */
export function field<T>(res: ClinicResponse, name: string): T {
  const value = (res.body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) throw new ClinicRequestError(`clinic backend response lacks "${name}"`, res.status);
  return value as T;
}
