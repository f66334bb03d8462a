import { int, str, url, type VarSpec } from '@medcita/shared';

const graphVersion: VarSpec<string> = {
  doc: 'Graph API version used in request paths',
  parse(raw) {
    const value = raw === undefined || raw.trim() === '' ? 'v23.0' : raw.trim();
    if (!/^v\d+\.\d+$/.test(value)) throw new Error(`must look like v23.0, got "${value}"`);
    return value;
  },
};

/** Environment variables of the Graph API client; spread into the worker's schema. */
export const graphEnvSchema = {
  WHATSAPP_ACCESS_TOKEN: str({ doc: 'System-user access token for the WhatsApp Cloud API (never logged)', secret: true }),
  GRAPH_API_URL: url({
    default: 'https://graph.facebook.com',
    protocols: ['https:', 'http:'],
    doc: 'Graph API base URL (the simulator in development and tests)',
  }),
  GRAPH_API_VERSION: graphVersion,
  GRAPH_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 120_000, doc: 'Timeout of one Graph API request, in ms' }),
  GRAPH_STATUS_WAIT_MS: int({
    default: 10_000,
    min: 0,
    max: 600_000,
    doc: 'After a Graph request got no answer (timeout, reset, or its worker died), how long its status webhook may take before the message is resent',
  }),
  GRAPH_MAX_ATTEMPTS: int({
    default: 4,
    min: 1,
    max: 10,
    doc: 'Attempts per outbound message before the job fails (and BullMQ may retry it)',
  }),
  SEND_RATE_PER_SECOND: int({
    default: 80,
    min: 1,
    max: 1000,
    doc: 'Fleet-wide send ceiling per business number (Meta default 80/s; up to 1000 after upgrade)',
  }),
} as const;
