/**
 * Jest runs TypeScript through SWC (fast, no type-check: `npm run typecheck` does that).
 *
 * Two projects split the suite so feedback comes in seconds:
 * - `unit`: pure, in-process tests (`npm run test:unit`);
 * - `integration`: tests that drive real components, i.e. the emulators, child processes (CLIs,
 *   shell scripts), the fake exchange over real HTTP/WebSocket or a browser, and pure suites
 *   that take seconds each (`npm run test:integration`).
 * `npm test` runs both in one Jest run, so the emulators start at most once either way.
 *
 * The rule is in `.ci/test-tiers.cjs`. The two sets partition the test files by construction
 * (test/workflows/test-split.test.ts checks it), so no test can fall between them. A new slow
 * suite that the rule does not catch: name it `*.integration.test.ts`.
 */
const { classifyTests, testRoots } = require('./.ci/test-tiers.cjs');

const exactPath = (path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

const { integration } = classifyTests(__dirname);
const roots = testRoots(__dirname).map((d) => `<rootDir>/${d}`);

const shared = {
  testEnvironment: 'node',
  roots,
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        // Assign semantics for class fields, as tsconfig.json's useDefineForClassFields: false gives
        // the bundles, tsx and serverless-esbuild (test/class-field-semantics.test.ts).
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript' },
          transform: { useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(fauxqs|@middy)/)'],
  // Each file first disables the async-local storages earlier files left enabled (Jest 30 makes one
  // per file; on Node 20 each enabled one taxes every promise: see the file); then backtest trade
  // records compare by their JSON (their fields are getters, see the file).
  setupFilesAfterEnv: [
    '<rootDir>/shared/testing/jest-async-storage.ts',
    '<rootDir>/shared/testing/jest-equality.ts',
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // DynamoDB Local + fauxqs in one child process per run, started by the first suite that awaits
  // them (`waitForEmulators`); a unit-only run never pays for a JVM.
  globalSetup: '<rootDir>/shared/testing/emulators/global-setup.ts',
  globalTeardown: '<rootDir>/shared/testing/emulators/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/fixtures/', ...integration.map(exactPath)],
    },
    {
      ...shared,
      displayName: 'integration',
      // No file at all would make Jest fall back to its default match; this pattern matches nothing.
      testRegex: integration.length > 0 ? integration.map(exactPath) : ['^$'],
    },
  ],
};
