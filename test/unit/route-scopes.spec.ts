import { Controller, Get, Post, Put } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '../../src/common/public.decorator';
import { RequiresScope, RouteAccess, routeAccess } from '../../src/common/scope.decorator';

const SRC = resolve(__dirname, '../../src');

type ControllerClass = abstract new (...args: never[]) => unknown;

/** Every controller class in src/: each `*.controller.ts` file's exports that Nest marks as controllers. */
async function controllers(): Promise<ControllerClass[]> {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === 'generated'
          ? []
          : files(join(dir, e.name))
        : e.name.endsWith('.controller.ts')
          ? [join(dir, e.name)]
          : [],
    );
  const modules = await Promise.all(files(SRC).map((file) => import(file) as Promise<Record<string, unknown>>));
  return modules.flatMap((exports) =>
    Object.values(exports).filter(
      (value): value is ControllerClass =>
        typeof value === 'function' && Reflect.getMetadata('__controller__', value) === true,
    ),
  );
}

/** What is wrong with the routes' declared access: none undeclared, no mutation open to a reading key. */
function problems(routes: RouteAccess[]): string[] {
  return routes.flatMap((r) => {
    const where = `${r.method} ${r.path} (${r.handler})`;
    if (!r.declared) return [`${where} declares neither @RequiresScope nor @Public`];
    if (r.declared === 'public') return [];
    const reads = r.method === 'GET' || r.method === 'HEAD';
    if (!reads && (r.declared === 'read' || r.declared === 'metrics'))
      return [`${where} changes state but needs only the ${r.declared} scope`];
    if (reads && (r.declared === 'write' || r.declared === 'admin'))
      return [`${where} only reads but needs the ${r.declared} scope (a read key must see every GET)`];
    return [];
  });
}

describe('route scopes', () => {
  let routes: RouteAccess[];
  let table: Record<string, RouteAccess['declared']>;
  beforeAll(async () => {
    routes = routeAccess(await controllers());
    table = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.declared]));
  });

  it('finds the controllers and their routes', () => {
    // Guards the guard: the scan must see the known controllers.
    expect(routes.length).toBeGreaterThan(30);
    expect(table['GET /tasks']).toBeDefined();
    expect(table['POST /callbacks/zego']).toBeDefined();
  });

  it('every route declares its scope or that it is public, and no mutation needs only read', () => {
    expect(problems(routes)).toEqual([]);
  });

  it('gives each kind of route the scope the security model says', () => {
    expect(table).toMatchObject({
      'GET /metrics': 'metrics',
      'GET /tasks': 'read',
      'GET /auth/whoami': 'read',
      'GET /reports/failures': 'read',
      'GET /webhooks': 'read',
      'PUT /tasks/:taskId': 'write',
      'DELETE /tasks/:taskId': 'write',
      'POST /tasks/:taskId/drives': 'write',
      'POST /webhooks': 'admin',
      'POST /webhooks/:id/test': 'admin',
      'POST /alert-rules': 'admin',
      'POST /slos': 'admin',
      'DELETE /slos/:id': 'admin',
      'GET /slos/:id/history': 'read',
      'PATCH /alert-rules/:id': 'admin',
      'POST /silences': 'admin',
      'DELETE /silences/:id': 'admin',
      'POST /callbacks/zego': 'public',
      'GET /health/ready': 'public',
      'GET /dashboard': 'public',
    });
  });

  it('reports a route that declares nothing, and a mutation marked read', () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      list() {}

      @Post()
      create() {}
    }
    @RequiresScope('read')
    @Controller('careless')
    class CarelessController {
      @Put(':id')
      replace() {}

      @Public()
      @Get('open')
      open() {}
    }
    expect(problems(routeAccess([ForgottenController, CarelessController]))).toEqual([
      'GET /forgotten (ForgottenController.list) declares neither @RequiresScope nor @Public',
      'POST /forgotten (ForgottenController.create) declares neither @RequiresScope nor @Public',
      'PUT /careless/:id (CarelessController.replace) changes state but needs only the read scope',
    ]);
  });
});
