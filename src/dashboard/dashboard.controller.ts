import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Public } from '../common/public.decorator';

/** The files of the page, read once at start: its own (src/dashboard/assets) and uPlot's. */
function loadAssets(): Record<string, { type: string; body: Buffer }> {
  // Beside this file both in src/ and in dist/ (the build copies them).
  const own = resolve(__dirname, 'assets');
  const uplot = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return {
    'index.html': { type: 'text/html; charset=utf-8', body: readFileSync(join(own, 'index.html')) },
    'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(own, 'app.js')) },
    'slos.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(own, 'slos.js')) },
    'dashboard.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(own, 'dashboard.css')) },
    'uplot.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.iife.min.js')) },
    'uplot.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.min.css')) },
  };
}

/**
 * Stricter than the service-wide policy (which lets Swagger UI run its inline script): the page's
 * scripts are its own files only. Inline styles stay allowed for the chart library's layout.
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

  @Get(':file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = Object.hasOwn(this.assets, file) && file !== 'index.html' ? this.assets[file] : undefined;
    if (!asset) throw new NotFoundException(`no dashboard file ${file}`);
    void reply.header('content-type', asset.type).header('cache-control', 'public, max-age=300');
    return asset.body;
  }
}
