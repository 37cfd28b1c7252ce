/**
 * Which tests are unit and which are integration (read by jest.config.js, checked by
 * test/workflows/test-split.test.ts). Integration means the suite drives a real component outside
 * its own code: the emulators, another process (a CLI, a shell script, a server), the fake
 * exchange over real sockets, or a browser. Everything else is unit and must stay fast.
 * Classifying by what a suite uses (not by a hand-kept list) keeps the split right as suites are
 * added; a slow suite that uses none of the markers opts in with the name `*.integration.test.ts`
 * (SLOW_SUITES lists the pure suites that take seconds each and predate that convention).
 */
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

/** Top-level directories that never hold tests (or are too big to crawl). */
const NOT_TEST_ROOTS = new Set(['node_modules', 'coverage', 'dist', 'docs', 'config', 'reports', 'data']);

/** Path patterns (relative to the repository, `/`-separated) of integration suites. */
const INTEGRATION_PATHS = [
  /\.integration\.test\.ts$/, // the convention for any slow suite
  /^test\/(upbit|fake-exchange|deploy|workflows|e2e)\//, // real HTTP/WebSocket, shell scripts, browsers
  /-cli\.test\.ts$/, // spawn a command-line entry point
];

/**
 * Pure suites that take several seconds each on 2 cores (long property runs, backtests over real
 * data); they run with the integration tier so `npm run test:unit` stays a few seconds. Renaming
 * them to `*.integration.test.ts` would make this list unnecessary.
 */
const SLOW_SUITES = [
  'test/risk/exposure-drift.property.test.ts',
  'test/risk/latch.property.test.ts',
  'test/risk/decision-gate.property.test.ts',
  'test/backtest/stat-arb-backtest.test.ts',
  'test/backtest/real-data.test.ts',
  'test/strategies/lookahead.test.ts',
  'test/optimize/run-optimize.test.ts',
];

/** Source text that marks a suite as integration: what it starts outside the test's own code. */
const INTEGRATION_MARKERS = [
  'waitForEmulators', // DynamoDB Local + fauxqs
  'child_process', // a CLI, a script or a server in another process
  'playwright', // headless Chromium
  'startFakeExchange', // the fake Upbit exchange over real sockets
];

const TEST_FILE = /\.test\.ts$/;

function testRoots(rootDir) {
  return readdirSync(rootDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !NOT_TEST_ROOTS.has(d.name))
    .map((d) => d.name)
    .sort();
}

function listTests(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listTests(path, out);
    else if (TEST_FILE.test(entry.name) && statSync(path).isFile()) out.push(path);
  }
  return out;
}

/** Classifies every test file under `rootDir` as unit or integration (paths are absolute). */
function classifyTests(rootDir) {
  const unit = [];
  const integration = [];
  for (const root of testRoots(rootDir)) {
    for (const file of listTests(join(rootDir, root), [])) {
      const rel = relative(rootDir, file).split(sep).join('/');
      const source = readFileSync(file, 'utf8');
      const isIntegration =
        SLOW_SUITES.includes(rel) ||
        INTEGRATION_PATHS.some((p) => p.test(rel)) ||
        INTEGRATION_MARKERS.some((m) => source.includes(m));
      (isIntegration ? integration : unit).push(file);
    }
  }
  return { unit, integration };
}

module.exports = { classifyTests, testRoots, INTEGRATION_PATHS, INTEGRATION_MARKERS, SLOW_SUITES };
