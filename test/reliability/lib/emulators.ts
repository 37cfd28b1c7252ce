import {
  EMULATOR_STATE_ENV,
  type EmulatorEndpoints,
  waitForEmulators,
} from '../../../shared/testing/emulators/emulator-endpoints';
import globalSetup from '../../../shared/testing/emulators/global-setup';
import globalTeardown from '../../../shared/testing/emulators/global-teardown';

/**
 * DynamoDB Local + fauxqs for the campaign. Under Jest the run's emulators are reused (its global
 * setup prepared them); from the CLI the same global setup/teardown start and stop one pair owned by
 * this process, so `npm run test:reliability` needs nothing running beforehand.
 */
export async function ensureEmulators(): Promise<{
  endpoints: EmulatorEndpoints;
  stop: () => Promise<void>;
}> {
  const owned = process.env[EMULATOR_STATE_ENV] === undefined;
  if (owned) await globalSetup();
  const endpoints = await waitForEmulators(180_000);
  return { endpoints, stop: owned ? () => globalTeardown() : async () => undefined };
}
