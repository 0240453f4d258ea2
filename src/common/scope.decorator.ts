import { RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { isScope, Scope } from '../config/api-keys';
import { IS_PUBLIC } from './public.decorator';

export const REQUIRED_SCOPE = 'drive-status:required-scope';

/**
 * The scope a key needs for a route (on the handler) or for the controller's routes (on the class;
 * a handler's own mark wins). Every route carries one, or @Public(): test/unit/route-scopes.spec.ts
 * fails on a route that has neither.
 */
export const RequiresScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** A handler or a controller class, as the reflector takes them. */
type Target = Parameters<Reflector['getAllAndOverride']>[1][number];
type ControllerClass = abstract new (...args: never[]) => unknown;

/**
 * What a route asks of a key: `public`, a scope, or undefined when it declares nothing. The guard,
 * the OpenAPI document and the route-scope test all read it here.
 */
export function declaredAccess(
  reflector: Reflector,
  handler: Target,
  controller: Target,
): Scope | 'public' | undefined {
  if (reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller])) return 'public';
  const scope = reflector.getAllAndOverride<unknown>(REQUIRED_SCOPE, [handler, controller]);
  return isScope(scope) ? scope : undefined;
}

/**
 * What the guard enforces: the declared scope; undeclared, `read` for a GET and `admin` for
 * anything else, so a forgotten mark never opens a write to a lesser key.
 */
export function requiredScope(declared: Scope | 'public' | undefined, method: string): Scope | 'public' {
  if (declared) return declared;
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

export interface RouteAccess {
  /** `Controller.method` */
  handler: string;
  method: string;
  path: string;
  declared: Scope | 'public' | undefined;
}

/** Every route handler of the given controller classes with the HTTP method and the access it declares. */
export function routeAccess(controllers: ControllerClass[], reflector = new Reflector()): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const controller of controllers) {
    const prefix = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat()[0] ?? '';
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined].flat()[0] ?? '';
      routes.push({
        handler: `${controller.name}.${name}`,
        method: RequestMethod[method],
        path: `/${[prefix, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/'),
        declared: declaredAccess(reflector, handler as Target, controller as Target),
      });
    }
  }
  return routes;
}
