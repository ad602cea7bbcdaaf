import { GrpcMethod } from '@nestjs/microservices';
import type { CommandInput, CommandName, CommandResult, ServiceName } from '../contracts/commands';
import { invalidArgument } from '../errors/domain-error';

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

/** A command as the gateway sends it: its input typed by the command map (`contracts/commands.ts`). */
export type CommandFor<S extends ServiceName, M extends CommandName<S>> = TenantCommand<CommandInput<S, M>>;

export function encodeCommand(command: TenantCommand): RpcCommand {
  return { json: JSON.stringify(command) };
}

export function decodeCommand<TInput = unknown>(message: RpcCommand): TenantCommand<TInput> {
  let command: TenantCommand<TInput>;
  try {
    command = JSON.parse(message.json);
  } catch {
    throw invalidArgument('command is not JSON', 'invalid_command');
  }
  if (typeof command !== 'object' || command === null || typeof command.tenantId !== 'string') {
    throw invalidArgument('command has no tenantId', 'invalid_command');
  }
  return command;
}

export function encodeResult(value: unknown): RpcResult {
  return { json: JSON.stringify(value ?? null) };
}

export function decodeResult<T>(message: RpcResult): T {
  return JSON.parse(message.json) as T;
}

/** The body of every gRPC handler: decode, do one service call, encode. */
export async function handleCommand<T>(message: RpcCommand, run: (command: TenantCommand) => Promise<T> | T): Promise<RpcResult> {
  return encodeResult(await run(decodeCommand(message)));
}

/**
 * Marks a method as the handler of one command of the command map. The method takes the decoded
 * command (its `input` is unchecked JSON: validate it with `validateInput`) and returns the
 * command's result type; a name that is not in the map or a wrong result type does not compile.
 * The decorator decodes the wire message and encodes the result around it.
 */
export function CommandHandler<S extends ServiceName, M extends CommandName<S>>(service: S, method: M) {
  return <F extends (command: TenantCommand) => Promise<CommandResult<S, M>> | CommandResult<S, M>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => {
    const handler = descriptor.value as F;
    const onMessage = function (this: unknown, message: RpcCommand): Promise<RpcResult> {
      return handleCommand(message, (command) => handler.call(this, command));
    };
    Object.defineProperty(onMessage, 'name', { value: handler.name });
    (descriptor as TypedPropertyDescriptor<unknown>).value = onMessage;
    GrpcMethod(service, method)(target, key, descriptor);
  };
}
