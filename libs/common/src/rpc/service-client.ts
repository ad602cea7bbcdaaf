import { Metadata } from '@grpc/grpc-js';
import { ClientGrpc } from '@nestjs/microservices';
import { lastValueFrom, Observable } from 'rxjs';
import { ErrorBody } from '../errors/domain-error';
import { httpStatusForGrpc } from '../errors/error-mapping';
import { RequestContext } from '../context/request-context';
import type { CommandName, CommandResult, ServiceName } from '../contracts/commands';
import { CommandFor, decodeResult, encodeCommand, RpcCommand, RpcResult, TenantCommand } from './command';

export const DEFAULT_RPC_DEADLINE_MS = 5_000;
export const REQUEST_ID_METADATA = 'x-request-id';

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

/** Caller's side of a command: one unary call with a deadline, errors mapped to HTTP; typed by the command map. */
export class ServiceClient<S extends ServiceName = ServiceName> {
  private readonly methods: Record<string, UnaryMethod>;

  constructor(
    private readonly serviceLabel: string,
    grpc: ClientGrpc,
    serviceName: S,
    private readonly deadlineMs = DEFAULT_RPC_DEADLINE_MS,
  ) {
    this.methods = grpc.getService<Record<string, UnaryMethod>>(serviceName);
  }

  async call<M extends CommandName<S>>(method: M, command: CommandFor<S, M>, requestId?: string): Promise<CommandResult<S, M>> {
    const rpc = this.methods[method];
    if (!rpc) throw new Error(`${this.serviceLabel} has no method ${method}`);
    const metadata = new Metadata();
    if (requestId) metadata.set(REQUEST_ID_METADATA, requestId);
    metadata.set('x-tenant-id', command.tenantId);
    try {
      const result = await lastValueFrom(
        rpc.call(this.methods, encodeCommand(withEventScope(command)), metadata, { deadline: new Date(Date.now() + this.deadlineMs) }),
      );
      return decodeResult<CommandResult<S, M>>(result);
    } catch (error) {
      throw this.toUpstreamError(error);
    }
  }

  private toUpstreamError(error: unknown): UpstreamError {
    const grpcError = error as { code?: number; details?: string; message?: string };
    const status = httpStatusForGrpc(grpcError.code);
    if (status === 503) {
      return new UpstreamError(503, { error: `${this.serviceLabel} service is unavailable, try again shortly`, code: 'service_unavailable' });
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
    const body = JSON.parse(text.slice(start));
    return typeof body?.error === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}
