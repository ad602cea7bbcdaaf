import { z } from 'zod';

/**
 * Configuration is read from the environment once, at start-up, through a typed spec of zod
 * schemas. Every bad or missing value is reported in one error, one line per setting.
 */
export type SettingReader<T> = (source: NodeJS.ProcessEnv) => z.ZodType<T>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (raw: unknown) => (typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined);

/** A value read from text by `value`; `fallback` when the variable is absent or blank, "is required" when there is none. */
function fromText<T>(value: z.ZodType<T, string>, fallback: T | undefined): z.ZodType<T> {
  const text = z.string({ error: 'is required' }).pipe(value);
  return z.preprocess(blankToUndefined, fallback === undefined ? text : text.default(fallback as never));
}

/** Like fromText, but the fallback is text that goes through the same parsing (keys and secrets). */
function fromTextOrRaw<T>(value: z.ZodType<T, string>, fallback: string | undefined): z.ZodType<T> {
  return z.preprocess((raw) => blankToUndefined(raw) ?? fallback, z.string({ error: 'is required' }).pipe(value));
}

const got = (input: unknown) => `(got "${String(input)}")`;
const inProduction = (source: NodeJS.ProcessEnv) => source.NODE_ENV === 'production';

export const setting = {
  /** A reader with a further rule that may look at other settings (`source`): the rule returns a problem or nothing. */
  refine<T>(read: SettingReader<T>, rule: (value: T, source: NodeJS.ProcessEnv) => string | undefined): SettingReader<T> {
    return (source) =>
      read(source).superRefine((value, ctx) => {
        const problem = rule(value, source);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      });
  },
  string(fallback?: string): SettingReader<string> {
    return () => fromText(z.string(), fallback);
  },
  optionalString(): SettingReader<string | undefined> {
    return () => z.preprocess(blankToUndefined, z.string().optional());
  },
  int(fallback: number | undefined, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): SettingReader<number> {
    const range = { error: (issue: { input?: unknown }) => `must be between ${min} and ${max} (got ${String(issue.input)})` };
    const whole = z
      .string()
      .regex(/^-?\d+$/, { error: (issue) => `must be a whole number ${got(issue.input)}` })
      .transform(Number)
      .pipe(z.number().min(min, range).max(max, range));
    return () => fromText(whole, fallback);
  },
  port(fallback?: number): SettingReader<number> {
    return setting.int(fallback, { min: 1, max: 65535 });
  },
  bool(fallback: boolean): SettingReader<boolean> {
    const flag = z.stringbool({
      truthy: ['true', '1', 'yes'],
      falsy: ['false', '0', 'no'],
      case: 'insensitive',
      error: (issue) => `must be true or false ${got(issue.input)}`,
    });
    return () => fromText(flag, fallback);
  },
  url(fallback: string | undefined, protocols: string[]): SettingReader<string> {
    const url = z
      .url({ error: (issue) => `must be a URL ${got(redactUrl(String(issue.input)))}` })
      // zod runs this check even when the URL check above failed: an unparsable value is left to that one.
      .refine((value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol.replace(/:$/, '')), {
        error: (issue) => `must use ${protocols.join(' or ')} (got "${new URL(String(issue.input)).protocol}")`,
      })
      .transform((value) => value.replace(/\/+$/, ''));
    return () => fromText(url, fallback);
  },
  oneOf<T extends string>(values: readonly T[], fallback: T): SettingReader<T> {
    const choice = z.enum(values as readonly [T, ...T[]], { error: (issue) => `must be one of ${values.join(', ')} ${got(issue.input)}` });
    return () => fromText(choice as unknown as z.ZodType<T, string>, fallback);
  },
  hostPortList(fallback: string): SettingReader<string[]> {
    const item = z
      .string()
      .regex(/^[\w.-]+:\d{1,5}$/, { error: (issue) => `must be a comma-separated list of host:port ${got(issue.input)}` });
    return () => fromTextOrRaw(commaSeparated(item), fallback);
  },
  intList(fallback: string): SettingReader<number[]> {
    const item = z
      .string()
      .regex(/^\d+$/, { error: (issue) => `must be a comma-separated list of whole numbers ${got(issue.input)}` })
      .transform(Number);
    return () => fromTextOrRaw(commaSeparated(item), fallback);
  },
  /**
   * Base64 of exactly `bytes` bytes (an encryption key), decoded. With requiredInProduction, the
   * development fallback is refused when NODE_ENV=production.
   */
  base64Bytes(fallback: string | undefined, bytes: number, { requiredInProduction = false } = {}): SettingReader<Buffer> {
    const key = z
      .string()
      .transform((value) => (/^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0)))
      .refine((decoded) => decoded.length === bytes, { error: `must be base64 of exactly ${bytes} bytes` });
    return (source) => fromTextOrRaw(key, requiredInProduction && inProduction(source) ? undefined : fallback);
  },
  /** With requiredInProduction, the development fallback is refused when NODE_ENV=production. */
  secret(fallback: string | undefined, minLength: number, { requiredInProduction = false } = {}): SettingReader<string> {
    return (source) => {
      const production = requiredInProduction && inProduction(source);
      const secret = z
        .string()
        .min(minLength, { error: `must be at least ${minLength} characters` })
        .refine((value) => !production || value !== fallback, { error: 'is the development value; set a real secret' });
      return fromTextOrRaw(secret, production ? undefined : fallback);
    };
  },
};

function commaSeparated<T>(item: z.ZodType<T, string>): z.ZodType<T[], string> {
  return z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .pipe(z.array(item));
}

export type ConfigOf<S extends Record<string, SettingReader<unknown>>> = { readonly [K in keyof S]: z.output<ReturnType<S[K]>> };

export function loadConfig<S extends Record<string, SettingReader<unknown>>>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const shape = Object.fromEntries(Object.entries(spec).map(([name, read]) => [name, read(source)]));
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const problems = new Map<string, string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0]);
      if (!problems.has(name)) problems.set(name, `${name} ${issue.message}`);
    }
    throw new ConfigError([...problems.values()]);
  }
  return Object.freeze(result.data) as ConfigOf<S>;
}

/** Hides the password of a URL so configuration errors and logs never print it. */
export function redactUrl(value: string): string {
  return value.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}
