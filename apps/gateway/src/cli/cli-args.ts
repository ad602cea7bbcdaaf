/** `--name Acme --plan pro` → { name: 'Acme', plan: 'pro' }; a flag without a value is true. */
export function parseFlags(args: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new CliUsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) flags[name] = args[++i];
    else flags[name] = true;
  }
  return flags;
}

export class CliUsageError extends Error {}

export function stringFlag(flags: Record<string, string | true>, name: string, required = false): string | undefined {
  const value = flags[name];
  if (value === undefined) {
    if (required) throw new CliUsageError(`--${name} is required`);
    return undefined;
  }
  if (value === true) throw new CliUsageError(`--${name} needs a value`);
  return value;
}

export function intFlag(flags: Record<string, string | true>, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`--${name} must be a whole number`);
  return Number(value);
}
