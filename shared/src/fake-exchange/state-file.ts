import { readFile, rename, writeFile } from 'node:fs/promises';
import type { EngineState } from '../domain/exchange/engine-state';
import type { FakeExchangeCore } from './exchange-core';

/**
 * Loads a saved account into the core. Returns false when the file does not exist yet (first run);
 * a corrupt file is an error rather than a silent reset, so no state is lost by accident.
 */
export async function loadState(core: FakeExchangeCore, path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const state = JSON.parse(text) as EngineState;
  if (state.version !== 1)
    throw new Error(`unsupported fake-exchange state version in ${path}: ${String(state.version)}`);
  core.engine.restoreState(state);
  return true;
}

/** Saves the account atomically (write to a temp file, then rename). */
export async function saveState(core: FakeExchangeCore, path: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(core.engine.exportState()), 'utf8');
  await rename(tmp, path);
}
