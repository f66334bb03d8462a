import { bool, ConfigError, int, oneOf, parseEnv, str, url } from '@medcita/shared';

const schema = {
  NAME: str({ doc: 'required' }),
  PORT: int({ default: 3000, min: 1, max: 65535, doc: 'port' }),
  MODE: oneOf(['a', 'b'] as const, { default: 'a', doc: 'mode' }),
  ON: bool({ default: false, doc: 'flag' }),
  TARGET: url({ default: 'redis://localhost:6379', protocols: ['redis:'], doc: 'url' }),
};

describe(parseEnv.name, () => {
  it('applies defaults and parses values', () => {
    expect(parseEnv(schema, { NAME: 'x', PORT: '8080', ON: 'true' })).toEqual({
      NAME: 'x',
      PORT: 8080,
      MODE: 'a',
      ON: true,
      TARGET: 'redis://localhost:6379',
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      parseEnv(schema, { PORT: '80x', MODE: 'c', ON: 'maybe', TARGET: 'http://x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      'NAME is required',
      'PORT must be an integer',
      'MODE must be one of a, b',
      'ON must be true/false',
      'TARGET must use redis:',
    ]) {
      expect(message).toContain(name);
    }
  });
});
