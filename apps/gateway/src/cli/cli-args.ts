import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export class CliUsageError extends Error {}

export type CliFlags = Record<string, string | boolean | (string | boolean)[] | undefined>;

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** Each command and the flags it takes; parsing is strict, so an unknown or malformed flag is a usage error. */
export const CLI_COMMANDS = {
  'tenants create': { name: text, plan: text, tokens: text, 'rate-limit': text },
  'tenants list': {},
  'tenants show': { tenant: text },
  'tenants topup': { tenant: text, tokens: text },
  'tenants ledger': { tenant: text, limit: text },
  'keys create': { tenant: text, role: text, name: text, events: text },
  'keys list': { tenant: text },
  'keys revoke': { key: text },
  'dead-letters list': { service: text, pending: flag },
  'dead-letters replay': { service: text, id: text, all: flag },
  'users promote': { email: text },
  'users demote': { email: text },
} satisfies Record<string, ParseArgsOptionsConfig>;

export type CliCommand = keyof typeof CLI_COMMANDS;

/** `tenants create --name Acme --plan pro` → { command: 'tenants create', flags: { name: 'Acme', plan: 'pro' } }. */
export function parseCommand(argv: string[]): { command: CliCommand; flags: CliFlags } {
  const [resource, action, ...rest] = argv;
  if (!resource || resource === 'help' || resource === '--help') throw new CliUsageError('');
  const command = `${resource} ${action ?? ''}`.trim();
  if (!Object.hasOwn(CLI_COMMANDS, command)) throw new CliUsageError(`unknown command "${command}"`);
  try {
    const options: ParseArgsOptionsConfig = CLI_COMMANDS[command as CliCommand];
    const { values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false });
    return { command: command as CliCommand, flags: values };
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

export function stringFlag(flags: CliFlags, name: string, required = false): string | undefined {
  const value = flags[name];
  if (value === undefined) {
    if (required) throw new CliUsageError(`--${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new CliUsageError(`--${name} needs a value`);
  return value;
}

export function intFlag(flags: CliFlags, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`--${name} must be a whole number`);
  return Number(value);
}
