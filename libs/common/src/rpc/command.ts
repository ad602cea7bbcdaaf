import { GrpcMethod } from '@nestjs/microservices';
import type { CommandInput, CommandName, CommandResult, ServiceName } from '../contracts/commands';
import { isUuid } from '../database/pg-errors';
import { forbidden, invalidArgument } from '../errors/domain-error';

/** The wire messages of passway.proto. */
export interface RpcCommand {
  json: string;
}
export interface RpcResult {
  json: string;
}

/** Every command names its tenant; the gateway fills it from the authenticated API key, never from the body. */
export interface TenantCommand<TInput = unknown> {
  tenantId: string;
  id?: string;
  input?: TInput;
  /** Set when the caller's key is scoped to events: the service shows and changes only their passes. */
  eventIds?: string[];
}

/**
 * The events an event-scoped API key may see; undefined = every event of the tenant.
 * Outside the scope a pass or an event does not exist for that key: 404, never 403.
 */
export type EventScope = readonly string[] | undefined;

export function inScope(scope: EventScope, eventId: string | null | undefined): boolean {
  return scope === undefined || (typeof eventId === 'string' && scope.includes(eventId));
}

/** A command that names no tenant (only GetPublicPass). */
export interface PublicCommand<TInput = unknown> {
  input?: TInput;
}

/** A command as the gateway sends it: its input typed by the command map (`contracts/commands.ts`). */
export type CommandFor<S extends ServiceName, M extends CommandName<S>> = TenantCommand<CommandInput<S, M>>;

export function encodeCommand(command: TenantCommand | PublicCommand): RpcCommand {
  return { json: JSON.stringify(command) };
}

function parseCommand<T>(message: RpcCommand): T {
  let command: T;
  try {
    command = JSON.parse(message.json) as T;
  } catch {
    throw invalidArgument('command is not JSON', 'invalid_command');
  }
  if (typeof command !== 'object' || command === null) throw invalidArgument('command is not an object', 'invalid_command');
  return command;
}

/** Every tenant command names its tenant by id: an empty or malformed tenantId is refused, never read as "any tenant". */
export function decodeCommand<TInput = unknown>(message: RpcCommand): TenantCommand<TInput> {
  const command = parseCommand<TenantCommand<TInput>>(message);
  if (!isUuid(command.tenantId)) throw invalidArgument('command has no valid tenantId', 'invalid_command');
  return command;
}

export function encodeResult(value: unknown): RpcResult {
  return { json: JSON.stringify(value ?? null) };
}

export function decodeResult<T>(message: RpcResult): T {
  return JSON.parse(message.json) as T;
}

/** The handler of a command that names no tenant (see PublicCommand). */
export async function handlePublicCommand<T>(message: RpcCommand, run: (command: PublicCommand) => Promise<T> | T): Promise<RpcResult> {
  return encodeResult(await run(parseCommand<PublicCommand>(message)));
}

/** The body of every gRPC handler: decode, do one service call, encode. */
export async function handleCommand<T>(message: RpcCommand, run: (command: TenantCommand) => Promise<T> | T): Promise<RpcResult> {
  return encodeResult(await run(decodeCommand(message)));
}

/**
 * For commands on what spans every event of a tenant (clients, webhooks, triggers): an event-scoped
 * caller is refused, whatever the gateway let through.
 */
export async function handleTenantWideCommand<T>(message: RpcCommand, run: (command: TenantCommand) => Promise<T> | T): Promise<RpcResult> {
  return handleCommand(message, (command) => {
    if (command.eventIds !== undefined) throw eventScopedKeyRefused();
    return run(command);
  });
}

export function eventScopedKeyRefused() {
  return forbidden(
    'clients, webhooks and triggers span every event of the tenant: an event-scoped key may not use them',
    'event_scoped_key',
  );
}

type Handle<C> = (message: RpcCommand, run: (command: C) => unknown) => Promise<RpcResult>;
type Result<S extends ServiceName, M extends CommandName<S>> = Promise<CommandResult<S, M>> | CommandResult<S, M>;

/** Wraps the method in the decode/encode step `handle` and registers it as the gRPC method. */
function registerHandler<C>(service: string, method: string, handle: Handle<C>) {
  return <F extends (command: C) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void => {
    const handler = descriptor.value;
    if (!handler) throw new Error(`${String(key)} is not a method`);
    const onMessage = function (this: unknown, message: RpcCommand): Promise<RpcResult> {
      return handle(message, (command) => handler.call(this, command));
    };
    Object.defineProperty(onMessage, 'name', { value: handler.name });
    // gRPC calls the method with the wire message: the decorated method is replaced by the wrapper.
    const wire: PropertyDescriptor = descriptor;
    wire.value = onMessage;
    GrpcMethod(service, method)(target, key, descriptor);
  };
}

/**
 * Marks a method as the handler of one command of the command map. The method takes the decoded
 * command (its `input` is unchecked JSON: validate it with `validateInput`) and returns the
 * command's result type; a name that is not in the map or a wrong result type does not compile.
 * The decorator decodes the wire message and encodes the result around it. A `tenant-wide`
 * command (clients, webhooks, triggers) refuses event-scoped callers.
 */
export function CommandHandler<S extends ServiceName, M extends CommandName<S>>(
  service: S,
  method: M,
  audience: 'tenant' | 'tenant-wide' = 'tenant',
) {
  const register = registerHandler<TenantCommand>(service, method, audience === 'tenant-wide' ? handleTenantWideCommand : handleCommand);
  return <F extends (command: TenantCommand) => Result<S, M>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => register(target, key, descriptor);
}

/** The handler of a command that names no tenant (GetPublicPass): like CommandHandler, with a PublicCommand. */
export function PublicCommandHandler<S extends ServiceName, M extends CommandName<S>>(service: S, method: M) {
  const register = registerHandler<PublicCommand>(service, method, handlePublicCommand);
  return <F extends (command: PublicCommand) => Result<S, M>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => register(target, key, descriptor);
}
