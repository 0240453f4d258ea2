/** Unit tests need nothing; integration and end-to-end tests share one PostgreSQL (global setup). */
// CommonJS for tests: Jest's module sandbox cannot run the dynamic `import()` that the node16
// output keeps (Prisma's runtime loads its query compiler that way).
const tsconfig = {
  module: 'commonjs',
  moduleResolution: 'node10',
  target: 'ES2022',
  isolatedModules: true,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  sourceMap: true,
};
// Some dependencies ship only ES modules (Node can require them; Jest's sandbox cannot): those
// are compiled to CommonJS for the tests.
const ESM_ONLY = ['content-disposition'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig, diagnostics: false }],
  [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { ...tsconfig, allowJs: true }, diagnostics: false },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`];
// The generated Prisma client imports its siblings as `./x.js`; in tests those are `./x.ts`.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      setupFiles: ['reflect-metadata'],
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      testMatch: [
        '<rootDir>/test/integration/**/*.spec.ts',
        '<rootDir>/test/e2e/**/*.spec.ts',
        '<rootDir>/test/reliability/**/*.spec.ts',
      ],
      setupFiles: ['reflect-metadata'],
    },
  ],
  testTimeout: 60_000,
};
