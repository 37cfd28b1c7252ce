import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { FakeExchangeCore } from '../../shared/src/fake-exchange/exchange-core';
import { loadState, saveState } from '../../shared/src/fake-exchange/state-file';

describe('fake exchange state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-sim-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const core = () =>
    new FakeExchangeCore({
      markets: ['KRW-BTC'],
      seed: 1,
      clock: new ManualClock(1_700_000_000_000 as EpochMs),
      speed: 1,
    });

  // Found by the reliability soak: the autosave of a busy sim started a save while the previous one
  // was still writing the same temp file, and the second rename failed with ENOENT.
  it('overlapping saves of one path all succeed and leave one whole file, the latest state', async () => {
    const c = core();
    const path = join(dir, 'sim-account.json');
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      c.setBalance('KRW', String(1_000 + i));
      saves.push(saveState(c, path));
    }
    await expect(Promise.all(saves)).resolves.toBeDefined();
    expect(readdirSync(dir)).toEqual(['sim-account.json']);
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(c.engine.exportState()));
    expect(await loadState(core(), path)).toBe(true);
  });

  it('a failed save does not block the next one', async () => {
    const c = core();
    await expect(saveState(c, join(dir, 'missing', 'x.json'))).rejects.toThrow(/ENOENT/);
    await expect(saveState(c, join(dir, 'x.json'))).resolves.toBeUndefined();
  });
});
