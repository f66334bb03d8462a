import { ConfigError } from '../errors/config-error.js';

/** One variable's parser: returns the value or throws a message naming what is wrong. */
export interface VarSpec<T> {
  readonly parse: (raw: string | undefined) => T;
  readonly doc: string;
  readonly secret?: boolean;
}

type Env = Record<string, string | undefined>;

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}

export function str(opts: { default?: string; doc: string; secret?: boolean; minLength?: number }): VarSpec<string> {
  return {
    doc: opts.doc,
    secret: opts.secret,
    parse(raw) {
      if (!present(raw)) {
        if (opts.default !== undefined) return opts.default;
        throw new Error('is required');
      }
      if (opts.minLength !== undefined && raw.length < opts.minLength) {
        throw new Error(`must be at least ${opts.minLength} characters`);
      }
      return raw;
    },
  };
}

export function optionalStr(opts: { doc: string; secret?: boolean }): VarSpec<string | undefined> {
  return { doc: opts.doc, secret: opts.secret, parse: (raw) => (present(raw) ? raw : undefined) };
}

export function int(opts: { default?: number; min?: number; max?: number; doc: string }): VarSpec<number> {
  return {
    doc: opts.doc,
    parse(raw) {
      if (!present(raw)) {
        if (opts.default !== undefined) return opts.default;
        throw new Error('is required');
      }
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer, got "${raw}"`);
      const n = Number(raw);
      if (opts.min !== undefined && n < opts.min) throw new Error(`must be >= ${opts.min}, got ${n}`);
      if (opts.max !== undefined && n > opts.max) throw new Error(`must be <= ${opts.max}, got ${n}`);
      return n;
    },
  };
}

export function ratio(opts: { default: number; doc: string }): VarSpec<number> {
  return {
    doc: opts.doc,
    parse(raw) {
      if (!present(raw)) return opts.default;
      const n = Number(raw.trim());
      if (!/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) || n > 1) throw new Error(`must be a number from 0 to 1, got "${raw}"`);
      return n;
    },
  };
}

export function bool(opts: { default: boolean; doc: string }): VarSpec<boolean> {
  return {
    doc: opts.doc,
    parse(raw) {
      if (!present(raw)) return opts.default;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error(`must be true/false (or 1/0), got "${raw}"`);
    },
  };
}

export function oneOf<T extends string>(values: readonly T[], opts: { default?: T; doc: string }): VarSpec<T> {
  return {
    doc: opts.doc,
    parse(raw) {
      if (!present(raw)) {
        if (opts.default !== undefined) return opts.default;
        throw new Error(`is required (one of ${values.join(', ')})`);
      }
      if (!(values as readonly string[]).includes(raw)) {
        throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    },
  };
}

export function url(opts: { default?: string; doc: string; protocols?: string[] }): VarSpec<string> {
  return {
    doc: opts.doc,
    parse(raw) {
      const value = present(raw) ? raw : opts.default;
      if (value === undefined) throw new Error('is required');
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new Error(`must be a URL, got "${value}"`);
      }
      if (opts.protocols && !opts.protocols.includes(parsed.protocol)) {
        throw new Error(`must use ${opts.protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return value.replace(/\/+$/, '');
    },
  };
}

export type Schema = Record<string, VarSpec<unknown>>;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: ReturnType<S[K]['parse']> };

/**
 * Parses every variable of the schema, collecting all problems so an operator
 * fixes the deployment in one go; throws a ConfigError naming each bad variable.
 */
export function parseEnv<S extends Schema>(schema: S, env: Env = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    try {
      out[name] = spec.parse(env[name]);
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
}
