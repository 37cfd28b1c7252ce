import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORIES, runCampaign } from './campaign';
import { SCALES } from './lib/scale';

/**
 * The shorter variant of `npm run test:reliability` inside `npm test`: the whole campaign at `ci`
 * scale (every category exercised against the real processes, nothing at scale: a dozen decisions
 * and two SIGKILLs, 200 fuzz inputs per target, 40 market paths, a 15 s soak of the real stack), so
 * a change that breaks a category or a harness fails here, not only in the hour-long run.
 */
describe('reliability campaign (ci scale)', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'qts-reliability-ci-'));
  let passed = false;
  afterAll(() => {
    // Kept for inspection when something failed.
    if (passed) rmSync(logDir, { recursive: true, force: true });
  });

  it('runs every category and each meets all its targets', async () => {
    const report = await runCampaign({
      scale: SCALES.ci,
      seed: 17,
      logDir,
      command: 'jest test/reliability/campaign.integration.test.ts',
    });
    expect(report.categories.map((c) => c.id)).toEqual(CATEGORIES.map((c) => c.id));
    const failures = report.categories
      .filter((c) => !c.pass)
      .map((c) => ({
        category: c.id,
        failed: c.figures.filter((f) => f.pass === false).map((f) => `${f.name} = ${f.value}`),
        notes: c.notes.slice(0, 5),
        logs: logDir,
      }));
    expect(failures).toEqual([]);
    passed = true;
  }, 300_000);
});
