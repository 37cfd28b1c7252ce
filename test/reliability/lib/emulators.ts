import {
  EMULATOR_OWNER_ENV,
  EMULATOR_STATE_ENV,
  type EmulatorEndpoints,
  waitForEmulators,
} from '../../../shared/testing/emulators/emulator-endpoints';
import globalSetup from '../../../shared/testing/emulators/global-setup';
import globalTeardown from '../../../shared/testing/emulators/global-teardown';

// What the global setup sets in this process's environment (its run's TMPDIR, cache and emulator
// state), put back as it was by `stop`.
const SETUP_ENV = [
  'TMPDIR',
  'QTS_CACHE_DIR',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  EMULATOR_STATE_ENV,
  EMULATOR_OWNER_ENV,
] as const;

/**
 * DynamoDB Local + fauxqs for the campaign. Under Jest the run's emulators are reused (its global
 * setup prepared them); from the CLI the same global setup/teardown start and stop one pair owned by
 * this process, so `npm run test:reliability` needs nothing running beforehand. `stop` also restores
 * the environment the setup changed: a process that goes on afterwards (`npm run bench` runs other
 * benchmarks after the executor's) must not keep a TMPDIR the teardown removed, nor the state file
 * of emulators it stopped.
 */
export async function ensureEmulators(): Promise<{
  endpoints: EmulatorEndpoints;
  stop: () => Promise<void>;
}> {
  const owned = process.env[EMULATOR_STATE_ENV] === undefined;
  if (!owned) return { endpoints: await waitForEmulators(180_000), stop: async () => undefined };
  const before = SETUP_ENV.map((key) => [key, process.env[key]] as const);
  await globalSetup();
  const restore = () => {
    for (const [key, value] of before)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  };
  try {
    const endpoints = await waitForEmulators(180_000);
    return {
      endpoints,
      stop: async () => {
        try {
          await globalTeardown();
        } finally {
          restore();
        }
      },
    };
  } catch (error) {
    await globalTeardown().finally(restore);
    throw error;
  }
}
