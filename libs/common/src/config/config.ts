/**
 * Configuration is read from the environment once, at start-up, through a typed spec.
 * Every bad or missing value is reported in one error, one line per setting.
 */
export type SettingReader<T> = (raw: string | undefined, name: string, source: NodeJS.ProcessEnv) => T;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

class SettingProblem extends Error {}

const present = (raw: string | undefined): raw is string => raw !== undefined && raw.trim() !== '';

function required<T>(raw: string | undefined, fallback: T | undefined, parse: (value: string) => T): T {
  if (present(raw)) return parse(raw.trim());
  if (fallback === undefined) throw new SettingProblem('is required');
  return fallback;
}

export const setting = {
  /** A reader with a further rule that may look at other settings (`source`): the rule returns a problem or nothing. */
  refine<T>(read: SettingReader<T>, rule: (value: T, source: NodeJS.ProcessEnv) => string | undefined): SettingReader<T> {
    return (raw, name, source) => {
      const value = read(raw, name, source);
      const problem = rule(value, source);
      if (problem) throw new SettingProblem(problem);
      return value;
    };
  },
  string(fallback?: string): SettingReader<string> {
    return (raw) => required(raw, fallback, (v) => v);
  },
  optionalString(): SettingReader<string | undefined> {
    return (raw) => (present(raw) ? raw.trim() : undefined);
  },
  int(fallback: number | undefined, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): SettingReader<number> {
    return (raw) =>
      required(raw, fallback, (v) => {
        if (!/^-?\d+$/.test(v)) throw new SettingProblem(`must be a whole number (got "${v}")`);
        const n = Number(v);
        if (n < min || n > max) throw new SettingProblem(`must be between ${min} and ${max} (got ${n})`);
        return n;
      });
  },
  port(fallback?: number): SettingReader<number> {
    return setting.int(fallback, { min: 1, max: 65535 });
  },
  bool(fallback: boolean): SettingReader<boolean> {
    return (raw) =>
      required(raw, fallback, (v) => {
        if (/^(true|1|yes)$/i.test(v)) return true;
        if (/^(false|0|no)$/i.test(v)) return false;
        throw new SettingProblem(`must be true or false (got "${v}")`);
      });
  },
  url(fallback: string | undefined, protocols: string[]): SettingReader<string> {
    return (raw) =>
      required(raw, fallback, (v) => {
        let parsed: URL;
        try {
          parsed = new URL(v);
        } catch {
          throw new SettingProblem(`must be a URL (got "${redactUrl(v)}")`);
        }
        if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
          throw new SettingProblem(`must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
        }
        return v.replace(/\/+$/, '');
      });
  },
  oneOf<T extends string>(values: readonly T[], fallback: T): SettingReader<T> {
    return (raw) =>
      required(raw, fallback, (v) => {
        if (!values.includes(v as T)) throw new SettingProblem(`must be one of ${values.join(', ')} (got "${v}")`);
        return v as T;
      });
  },
  hostPortList(fallback: string): SettingReader<string[]> {
    return (raw) =>
      required(raw, fallback, (v) => v).split(',').map((entry) => {
        const item = entry.trim();
        if (!/^[\w.-]+:\d{1,5}$/.test(item)) throw new SettingProblem(`must be a comma-separated list of host:port (got "${item}")`);
        return item;
      });
  },
  intList(fallback: string): SettingReader<number[]> {
    return (raw) =>
      required(raw, fallback, (v) => v).split(',').map((entry) => {
        const item = entry.trim();
        if (!/^\d+$/.test(item)) throw new SettingProblem(`must be a comma-separated list of whole numbers (got "${item}")`);
        return Number(item);
      });
  },
  /**
   * Base64 of exactly `bytes` bytes (an encryption key), decoded. With requiredInProduction, the
   * development fallback is refused when NODE_ENV=production.
   */
  base64Bytes(fallback: string | undefined, bytes: number, { requiredInProduction = false } = {}): SettingReader<Buffer> {
    return (raw, _name, source) => {
      const value = required(raw, requiredInProduction && source.NODE_ENV === 'production' ? undefined : fallback, (v) => v);
      const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
      if (decoded.length !== bytes) throw new SettingProblem(`must be base64 of exactly ${bytes} bytes`);
      return decoded;
    };
  },
  /** With requiredInProduction, the development fallback is refused when NODE_ENV=production. */
  secret(fallback: string | undefined, minLength: number, { requiredInProduction = false } = {}): SettingReader<string> {
    return (raw, _name, source) =>
      required(raw, requiredInProduction && source.NODE_ENV === 'production' ? undefined : fallback, (v) => {
        if (v.length < minLength) throw new SettingProblem(`must be at least ${minLength} characters`);
        if (requiredInProduction && source.NODE_ENV === 'production' && v === fallback) throw new SettingProblem('is the development value; set a real secret');
        return v;
      });
  },
};

export type ConfigOf<S extends Record<string, SettingReader<unknown>>> = { readonly [K in keyof S]: ReturnType<S[K]> };

export function loadConfig<S extends Record<string, SettingReader<unknown>>>(spec: S, source: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(spec)) {
    try {
      values[name] = read(source[name], name, source);
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as ConfigOf<S>;
}

/** Hides the password of a URL so configuration errors and logs never print it. */
export function redactUrl(value: string): string {
  return value.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
