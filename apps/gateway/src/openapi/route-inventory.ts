import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROUTE_ACCESS, RouteAccess } from '../auth/route-access';
import { IS_PUBLIC, OPERATOR_ROUTE, SESSION_ROUTE } from '../auth/principal';

export interface RouteInfo {
  method: string;
  /** Express style: /api/v1/passes/:passId */
  path: string;
  controller: string;
  access?: RouteAccess;
  isPublic: boolean;
  /** Needs a session, not an organisation role (the session itself, sign-out). */
  sessionOnly: boolean;
  /** Platform operators' routes (a session of an operator). */
  operatorOnly: boolean;
}

type ModuleRef =
  Type<unknown> | { module: Type<unknown>; imports?: ModuleRef[]; controllers?: Type<unknown>[] } | { forwardRef: () => ModuleRef };

/** Every HTTP route the controllers of a module tree declare, read from Nest's metadata (what the router registers). */
export function listRoutes(root: Type<unknown>): RouteInfo[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref) return;
    if (typeof ref === 'object' && 'forwardRef' in ref) return visit(ref.forwardRef());
    const moduleClass = typeof ref === 'function' ? ref : ref.module;
    const key = typeof ref === 'function' ? ref : ref;
    if (seen.has(key)) return;
    seen.add(key);
    const imports = [
      ...(metadata<ModuleRef[]>(MODULE_METADATA.IMPORTS, moduleClass) ?? []),
      ...(typeof ref === 'object' ? (ref.imports ?? []) : []),
    ];
    const declared = [
      ...(metadata<Type<unknown>[]>(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []),
      ...(typeof ref === 'object' ? (ref.controllers ?? []) : []),
    ];
    declared.forEach((controller) => controllers.add(controller));
    imports.forEach((imported) => visit(imported));
  };
  visit(root);

  const routes: RouteInfo[] = [];
  for (const controller of controllers) {
    const bases = asArray(metadata<string | string[]>(PATH_METADATA, controller) ?? '/');
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = metadata<RequestMethod>(METHOD_METADATA, handler);
      if (method === undefined) continue;
      const access = metadata<RouteAccess>(ROUTE_ACCESS, handler) ?? metadata<RouteAccess>(ROUTE_ACCESS, controller);
      const isPublic = Boolean(metadata<boolean>(IS_PUBLIC, handler) ?? metadata<boolean>(IS_PUBLIC, controller));
      const sessionOnly = Boolean(metadata<boolean>(SESSION_ROUTE, handler) ?? metadata<boolean>(SESSION_ROUTE, controller));
      const operatorOnly = Boolean(metadata<boolean>(OPERATOR_ROUTE, handler) ?? metadata<boolean>(OPERATOR_ROUTE, controller));
      for (const base of bases) {
        for (const sub of asArray(metadata<string | string[]>(PATH_METADATA, handler) ?? '/')) {
          routes.push({
            method: RequestMethod[method],
            path: joinPath(base, sub),
            controller: controller.name,
            access,
            isPublic,
            sessionOnly,
            operatorOnly,
          });
        }
      }
    }
  }
  return routes;
}

/** Nest keeps decorator metadata untyped; each call site names the type its key holds. */
function metadata<T>(key: string, target: object): T | undefined {
  return Reflect.getMetadata(key, target) as T | undefined;
}

function asArray(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function joinPath(base: string, sub: string): string {
  const joined = `/${[base, sub]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return joined;
}

/** /api/v1/passes/:passId → /api/v1/passes/{passId} */
export function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
