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

/** The save in progress (or last queued) per path: saves of one file run one after the other. */
const saving = new Map<string, Promise<void>>();

/**
 * Saves the account atomically (write to a temp file, then rename). Saves of the same path are
 * serialised: two overlapping saves through one temp file would rename it under each other (the
 * second failing with ENOENT, or a half-written file renamed into place), which the soak of a busy
 * sim hit when a write took longer than the autosave delay. Each queued save writes the state as it
 * is when its turn comes.
 */
export function saveState(core: FakeExchangeCore, path: string): Promise<void> {
  const previous = saving.get(path) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(core.engine.exportState()), 'utf8');
      await rename(tmp, path);
    });
  saving.set(path, next);
  const forget = (): void => {
    if (saving.get(path) === next) saving.delete(path);
  };
  next.then(forget, forget);
  return next;
}
