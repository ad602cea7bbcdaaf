import { Metadata } from '@grpc/grpc-js';
import { ClientGrpc } from '@nestjs/microservices';
import { lastValueFrom, Observable } from 'rxjs';
import { ErrorBody } from '../errors/domain-error';
import { httpStatusForGrpc } from '../errors/error-mapping';
import { RequestContext } from '../context/request-context';
import type { CommandInput, CommandName, CommandResult, ServiceName } from '../contracts/commands';
import { CommandFor, decodeResult, encodeCommand, PublicCommand, RpcCommand, RpcResult, TenantCommand } from './command';
import { grpcMethodPath, SERVICE_TOKEN_METADATA, ServiceTokens } from './service-token';

export const DEFAULT_RPC_DEADLINE_MS = 5_000;
export const REQUEST_ID_METADATA = 'x-request-id';

/** A command's result as the service wrote it: JSON text of `T`, for a route that relays it untouched. */
export type JsonText<T> = string & { readonly __jsonOf?: T };

type UnaryMethod = (command: RpcCommand, metadata: Metadata, options: { deadline: Date }) => Observable<RpcResult>;

/** A service's answer as the gateway must relay it: HTTP status plus seed-001 error body. */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.error);
    this.name = 'UpstreamError';
  }
}

/** Caller side of a command: one unary call with a deadline and a signed service token, errors mapped to HTTP; typed by the command map. */
export class ServiceClient<S extends ServiceName = ServiceName> {
  private readonly methods: Record<string, UnaryMethod>;

  constructor(
    private readonly serviceLabel: string,
    grpc: ClientGrpc,
    private readonly serviceName: S,
    private readonly tokens: ServiceTokens,
    private readonly deadlineMs = DEFAULT_RPC_DEADLINE_MS,
  ) {
    this.methods = grpc.getService<Record<string, UnaryMethod>>(serviceName);
  }

  call<M extends CommandName<S>>(method: M, command: CommandFor<S, M>, requestId?: string): Promise<CommandResult<S, M>> {
    return this.send(method, encodeCommand(withEventScope(command)), requestId, command.tenantId).then((result) =>
      decodeResult<CommandResult<S, M>>(result),
    );
  }

  /**
   * As `call`, but the result stays the JSON text the service wrote: a large answer (a page of the
   * door's admissions feed, megabytes) goes out without being parsed and written again here.
   */
  callForJson<M extends CommandName<S>>(method: M, command: CommandFor<S, M>, requestId?: string): Promise<JsonText<CommandResult<S, M>>> {
    return this.send(method, encodeCommand(withEventScope(command)), requestId, command.tenantId).then((result) => result.json);
  }

  /** The one kind of command without a tenant: the public pass page, found by a code whose signed link the gateway checked. */
  callWithoutTenant<M extends CommandName<S>>(
    method: M,
    command: PublicCommand<CommandInput<S, M>>,
    requestId?: string,
  ): Promise<CommandResult<S, M>> {
    return this.send(method, encodeCommand(command), requestId).then((result) => decodeResult<CommandResult<S, M>>(result));
  }

  private async send(method: string, message: RpcCommand, requestId?: string, tenantId?: string): Promise<RpcResult> {
    const rpc = this.methods[method];
    if (!rpc) throw new Error(`${this.serviceLabel} has no method ${method}`);
    const metadata = new Metadata();
    if (requestId) metadata.set(REQUEST_ID_METADATA, requestId);
    if (tenantId) metadata.set('x-tenant-id', tenantId);
    metadata.set(SERVICE_TOKEN_METADATA, this.tokens.sign(grpcMethodPath(this.serviceName, method), message.json));
    try {
      return await lastValueFrom(rpc.call(this.methods, message, metadata, { deadline: new Date(Date.now() + this.deadlineMs) }));
    } catch (error) {
      throw this.toUpstreamError(error);
    }
  }

  private toUpstreamError(error: unknown): UpstreamError {
    const grpcError = error as { code?: number; details?: string; message?: string };
    const status = httpStatusForGrpc(grpcError.code);
    if (status === 503) {
      return new UpstreamError(503, {
        error: `${this.serviceLabel} service is unavailable, try again shortly`,
        code: 'service_unavailable',
      });
    }
    const body = parseErrorBody(grpcError.details) ?? parseErrorBody(grpcError.message);
    if (status === 502 || !body) {
      return new UpstreamError(502, { error: `${this.serviceLabel} service failed to answer`, code: 'upstream_error' });
    }
    return new UpstreamError(status, body);
  }
}

/** Every command made for an event-scoped key carries its scope; services enforce it. */
function withEventScope(command: TenantCommand): TenantCommand {
  const { eventIds } = RequestContext.current();
  return eventIds && command.eventIds === undefined ? { ...command, eventIds } : command;
}

function parseErrorBody(text: string | undefined): ErrorBody | undefined {
  if (!text) return undefined;
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const body = JSON.parse(text.slice(start)) as Partial<ErrorBody> | null;
    return typeof body?.error === 'string' ? (body as ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}
