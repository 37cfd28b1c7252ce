import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR_KEY, EMULATOR_DIR_KEY, RUN_TMP_DIR_KEY } from './global-setup';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Jest global teardown: stops the emulators this run started (if any) and waits until they are
 * gone, then removes the run's scratch directories.
 */
export default async function globalTeardown(): Promise<void> {
  try {
    await stopEmulators();
  } finally {
    const runTmp = (globalThis as Record<string, unknown>)[RUN_TMP_DIR_KEY] as string | undefined;
    if (runTmp !== undefined) rmSync(runTmp, { recursive: true, force: true });
  }
}

async function stopEmulators(): Promise<void> {
  const cache = (globalThis as Record<string, unknown>)[CACHE_DIR_KEY] as string | undefined;
  if (cache !== undefined) rmSync(cache, { recursive: true, force: true });
  const dir = (globalThis as Record<string, unknown>)[EMULATOR_DIR_KEY] as string | undefined;
  if (dir === undefined) return;
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    pid = undefined;
  }
  if (pid !== undefined && Number.isInteger(pid) && pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}
