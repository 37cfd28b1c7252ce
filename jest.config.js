/** Jest runs TypeScript through SWC (fast, no type-check: `npm run typecheck` does that). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/executor', '<rootDir>/functions', '<rootDir>/cli', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(fauxqs|@middy)/)'],
  testTimeout: 30000,
  // DynamoDB Local + fauxqs in one child process per run; suites that need them await readiness.
  globalSetup: '<rootDir>/shared/testing/emulators/global-setup.ts',
  globalTeardown: '<rootDir>/shared/testing/emulators/global-teardown.ts',
};
