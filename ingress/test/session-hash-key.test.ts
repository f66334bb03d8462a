/** The operator inbox writes audit records named by session pseudonyms: the ingress needs the workers' key (docs/operations.md, Session pseudonyms). */
import { DEV_SESSION_HASH_KEY } from '@medcita/shared';
import { loadIngressConfig } from '../src/config.js';

const BASE = { PORT: '0', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' };

describe('SESSION_HASH_KEY in the ingress', () => {
  it('is required in production, naming the variable', () => {
    expect(() => loadIngressConfig({ ...BASE, NODE_ENV: 'production' })).toThrow(/SESSION_HASH_KEY is required/);
    expect(loadIngressConfig({ ...BASE, NODE_ENV: 'production', SESSION_HASH_KEY: 'x'.repeat(32) }).SESSION_HASH_KEY).toBe('x'.repeat(32));
  });

  it('is the dev key elsewhere', () => {
    expect(loadIngressConfig(BASE).SESSION_HASH_KEY).toBe(DEV_SESSION_HASH_KEY);
  });
});
