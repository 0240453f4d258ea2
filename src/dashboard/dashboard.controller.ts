import { Controller, Get, Header, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { Public } from '../common/public.decorator';

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function asset(type: string, body: Buffer): Asset {
  return { type, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * The files of the page, read once at start: its own (src/dashboard/assets: index.html and every
 * .js module and .css file there, so that a new module is served without a change here) and uPlot's.
 */
export function loadAssets(): Record<string, Asset> {
  // Beside this file both in src/ and in dist/ (the build copies them).
  const own = resolve(__dirname, 'assets');
  const uplot = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const assets: Record<string, Asset> = {
    'index.html': asset('text/html; charset=utf-8', readFileSync(join(own, 'index.html'))),
  };
  for (const file of readdirSync(own)) {
    const type = TYPES[extname(file)];
    if (type) assets[file] = asset(type, readFileSync(join(own, file)));
  }
  assets['uplot.js'] = asset(TYPES['.js'], readFileSync(join(uplot, 'uPlot.iife.min.js')));
  assets['uplot.css'] = asset(TYPES['.css'], readFileSync(join(uplot, 'uPlot.min.css')));
  return assets;
}

/**
 * Stricter than the service-wide policy (which lets Swagger UI run its inline script): the page's
 * scripts are its own files only ('self' covers the ES modules main.js imports, all served here).
 * Inline styles stay allowed for the chart library's layout.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A page for people who would rather look than read. It is public; the data it shows comes from
 * the API, which asks for the key the person enters in the page.
 */
@Public()
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly assets = loadAssets();

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', PAGE_CSP)
  page(): Buffer {
    return this.assets['index.html'].body;
  }

  /** A task's page: the same document, which reads the task id from its address. */
  @Get('tasks/:taskId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', PAGE_CSP)
  taskPage(): Buffer {
    return this.assets['index.html'].body;
  }

  /**
   * The page's scripts and styles. Revalidated on every load (no-cache, with an ETag: an unchanged
   * file costs a 304): the modules import each other by fixed names, so a browser holding some
   * of them from before an upgrade must not run them beside newer ones.
   */
  @Get(':file')
  asset(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Buffer | string {
    const found = Object.hasOwn(this.assets, file) && file !== 'index.html' ? this.assets[file] : undefined;
    if (!found) throw new NotFoundException(`no dashboard file ${file}`);
    void reply.header('cache-control', 'no-cache').header('etag', found.etag);
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(found.etag)) {
      void reply.code(304);
      return '';
    }
    void reply.header('content-type', found.type);
    return found.body;
  }
}
