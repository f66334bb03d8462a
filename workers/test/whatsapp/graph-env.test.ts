import { ConfigError, parseEnv } from '@medcita/shared';
import { graphEnvSchema } from '../../src/whatsapp/index.js';

describe('graphEnvSchema', () => {
  it('needs only the access token and fills documented defaults', () => {
    expect(parseEnv(graphEnvSchema, { WHATSAPP_ACCESS_TOKEN: 'EAAG' })).toEqual({
      WHATSAPP_ACCESS_TOKEN: 'EAAG',
      GRAPH_API_URL: 'https://graph.facebook.com',
      GRAPH_API_VERSION: 'v23.0',
      GRAPH_TIMEOUT_MS: 10_000,
      GRAPH_STATUS_WAIT_MS: 10_000,
      GRAPH_MAX_ATTEMPTS: 4,
      SEND_RATE_PER_SECOND: 80,
    });
  });

  it('names every bad variable at once', () => {
    const err = (() => {
      try {
        return parseEnv(graphEnvSchema, { GRAPH_API_VERSION: '23', SEND_RATE_PER_SECOND: '0' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map((p) => p.split(' ')[0])).toEqual(['WHATSAPP_ACCESS_TOKEN', 'GRAPH_API_VERSION', 'SEND_RATE_PER_SECOND']);
  });
});
