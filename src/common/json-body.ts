import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse as parseQuery } from 'node:querystring';

/** Deepest nesting of arrays and objects a JSON body may have. No body of this API needs more than a handful. */
export const MAX_JSON_DEPTH = 64;

/** A body refused before it is parsed (Fastify sends `statusCode` and `message` on). */
export class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  constructor() {
    super(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'JsonTooDeepError';
  }
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, found by one pass over the text
 * (brackets inside strings do not count). Exact for well-formed JSON; for malformed text it may
 * say either, and the parser refuses that text anyway.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The body parsers (registered through Nest, which otherwise adds its own at init). JSON bodies on
 * every route are checked for depth before they are parsed: a deeply nested body would otherwise
 * reach validation (class-transformer, class-validator), which recurses once per level and
 * overflows the stack at some ten thousand levels, and even parsing a megabyte of brackets takes
 * seconds. Parsing itself stays Fastify's own (prototype poisoning refused, an empty body a 400).
 * Form bodies are parsed as before (Nest's parser drops out once any is registered).
 */
export function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  // (Typed loosely: Nest's adapter brings its own copy of Fastify's types.)
  type Parse = (request: unknown, body: string, done: (err: Error | null, body?: unknown) => void) => void;
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error') as unknown as Parse;
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new JsonTooDeepError(), undefined);
    parseJson(request, text, done);
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) =>
    done(null, parseQuery(body.toString('utf8'))),
  );
}

/**
 * Route option: a body limit of its own for one route (`@RouteConfig({ bodyLimit })`), lower than
 * the server's. Applied when the route is registered (see applyRouteBodyLimit).
 */
export interface RouteBodyLimit {
  bodyLimit: number;
}

/** For Fastify's onRoute hook: moves a route's `config.bodyLimit` to where Fastify enforces it. */
export function applyRouteBodyLimit(route: { config?: unknown; bodyLimit?: number }): void {
  const limit = (route.config as Partial<RouteBodyLimit> | undefined)?.bodyLimit;
  if (typeof limit === 'number') route.bodyLimit = limit;
}
