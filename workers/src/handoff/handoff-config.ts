import { handoffSchema, url, type VarSpec } from '@medcita/shared';

const optionalUrl = (doc: string): VarSpec<string | undefined> => {
  const spec = url({ doc, protocols: ['http:', 'https:'] });
  return { doc, secret: true, parse: (raw) => (raw === undefined || raw.trim() === '' ? undefined : spec.parse(raw)) };
};

/** Handoff variables of the workers (the shared ones are also read by the ingress). */
export const workerHandoffSchema = {
  ...handoffSchema,
  OPERATOR_WEBHOOK_URL: optionalUrl(
    'Incoming webhook (Slack, Teams…) that gets a short JSON notice for each new handoff, without patient text; unset = none',
  ),
} as const;
