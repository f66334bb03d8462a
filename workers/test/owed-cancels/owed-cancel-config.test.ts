import { loadWorkerConfig } from '../../src/config.js';

const BASE = { WHATSAPP_ACCESS_TOKEN: 'test-token' };

describe('OWED_CANCEL_RETRY_SECONDS', () => {
  it('defaults to a first retry after a minute', () => {
    expect(loadWorkerConfig(BASE).OWED_CANCEL_RETRY_SECONDS).toBe(60);
  });

  it.each(['0', '3601', '1.5', 'soon'])('refuses %p, naming the variable', (value) => {
    expect(() => loadWorkerConfig({ ...BASE, OWED_CANCEL_RETRY_SECONDS: value })).toThrow(/OWED_CANCEL_RETRY_SECONDS/);
  });
});
