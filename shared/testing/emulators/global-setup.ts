import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_OWNER_ENV, EMULATOR_STATE_ENV } from './emulator-endpoints';

/** Where global setup remembers its state directory so global teardown (same process) can clean up. */
export const EMULATOR_DIR_KEY = '__qtsEmulatorDir';
/** The run's own candle cache directory (removed by global teardown). */
export const CACHE_DIR_KEY = '__qtsCacheDir';
/** The run's own temporary directory (TMPDIR of every worker; removed by global teardown). */
export const RUN_TMP_DIR_KEY = '__qtsRunTmpDir';

/**
 * Jest global setup: prepares one emulator state directory per run and passes it to the test
 * workers (they inherit this environment). The emulators themselves start on first use
 * (`waitForEmulators`), once per run, so a run of pure unit tests never pays for a JVM. Set
 * `QTS_EMULATOR_STATE_FILE` yourself to reuse emulators started by hand.
 */
export default async function globalSetup(): Promise<void> {
  // The SDK's "Node 22 will be required from 2027" notice repeats in every worker; the runtime
  // requirement is tracked in package.json engines, not in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Tests and the processes they start create scratch directories under os.tmpdir(); a few leave
  // them behind when a test fails or forgets. Every worker gets this run's own TMPDIR, removed as a
  // whole at the end, so nothing accumulates in /tmp run after run.
  const runTmp = mkdtempSync(join(tmpdir(), 'qts-test-run-'));
  process.env.TMPDIR = runTmp;
  (globalThis as Record<string, unknown>)[RUN_TMP_DIR_KEY] = runTmp;
  // CLIs under test cache candles (downloads, binary columns of temporary CSVs): never in the
  // user's ~/.cache, and nothing left behind after the run.
  if (process.env.QTS_CACHE_DIR === undefined) {
    const cache = mkdtempSync(join(tmpdir(), 'qts-test-cache-'));
    process.env.QTS_CACHE_DIR = cache;
    (globalThis as Record<string, unknown>)[CACHE_DIR_KEY] = cache;
  }
  if (process.env[EMULATOR_STATE_ENV] !== undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'qts-emulators-'));
  process.env[EMULATOR_STATE_ENV] = join(dir, 'state.json');
  process.env[EMULATOR_OWNER_ENV] = String(process.pid);
  (globalThis as Record<string, unknown>)[EMULATOR_DIR_KEY] = dir;
}
