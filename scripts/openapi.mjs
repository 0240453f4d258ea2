// `npm run openapi`: writes the service's OpenAPI document to openapi.json and the typed client's
// schema (openapi-typescript) to client/schema.d.ts. `--check` writes nothing and fails when
// either committed file differs from what the code gives.
//
// The document comes from the real application module, created in Nest's preview mode: modules
// and controllers are scanned but no provider is instantiated, so no database, no upstream and no
// port are needed. The TypeScript sources are compiled file by file on load, the way the tests
// compile them (ts-jest: the options of tsconfig.json, isolated modules, CommonJS).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const check = process.argv.includes('--check');

const OUTPUTS = { document: join(root, 'openapi.json'), schema: join(root, 'client', 'schema.d.ts') };

/** Lets `require` load the TypeScript sources (and their `./x.js` imports of `./x.ts` files). */
function registerTypeScript() {
  const ts = require('typescript');
  // The project's own options (strictness changes the decorator metadata Swagger reads: with
  // strict null checks, `string | undefined` is recorded as Object), emitting CommonJS.
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const compilerOptions = {
    ...ts.convertCompilerOptionsFromJson(config.compilerOptions, root).options,
    module: ts.ModuleKind.CommonJS,
    isolatedModules: true,
    sourceMap: false,
    incremental: false,
  };
  Module._extensions['.ts'] = (module, filename) => {
    const source = readFileSync(filename, 'utf8');
    module._compile(ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText, filename);
  };
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request.startsWith('.') && request.endsWith('.js') && parent?.filename?.endsWith('.ts')) {
      const source = resolve(dirname(parent.filename), `${request.slice(0, -3)}.ts`);
      if (existsSync(source)) return source;
    }
    return resolveFilename.call(this, request, parent, ...rest);
  };
}

/** The document the running service serves at /docs-json. */
async function buildDocument() {
  if (!existsSync(join(root, 'src/generated/prisma/client.ts'))) {
    throw new Error('the Prisma client is not generated: run `bash scripts/prisma-generate.sh` first');
  }
  registerTypeScript();
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const { AppModule } = require(join(root, 'src/app/app.module.ts'));
  const { buildOpenApi } = require(join(root, 'src/app/openapi.ts'));
  const { loadConfig } = require(join(root, 'src/config/app-config.ts'));

  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const runtime = {
    config,
    // Never connected to: preview mode creates no provider.
    databaseUrl: 'postgresql://openapi@127.0.0.1:9/unused',
    zego: { baseUrl: 'http://127.0.0.1:9', appId: '1', serverSecret: 'unused', ...config.zegoTuning },
  };
  const app = await NestFactory.create(AppModule.forRoot(runtime), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApi(app);
  } finally {
    await app.close();
  }
}

/** The client's types, generated from the document. */
async function buildSchema(document) {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  return astToString(await openapiTS(document));
}

async function main() {
  const document = await buildDocument();
  const files = {
    [OUTPUTS.document]: `${JSON.stringify(document, null, 2)}\n`,
    [OUTPUTS.schema]: await buildSchema(document),
  };
  const stale = [];
  for (const [file, text] of Object.entries(files)) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(relative(root, file));
    if (!check) writeFileSync(file, text);
  }
  if (check && stale.length) {
    console.error(`out of date: ${stale.join(', ')}. Run \`npm run openapi\` and commit the result.`);
    process.exitCode = 1;
  } else if (!check) {
    console.log(stale.length ? `written: ${stale.join(', ')}` : 'openapi.json and client/schema.d.ts are up to date');
  }
}

main().catch((err) => {
  console.error(`openapi: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
