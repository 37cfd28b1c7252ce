import { readFileSync } from 'node:fs';
import { workerBoot } from '../../shared/src/backtest/optimize/worker-boot';

describe('optimizer worker boot', () => {
  it('loads the TypeScript worker entry from one bundle, without tsx or esbuild inside, found once per process', () => {
    const boot = workerBoot();
    expect(boot.kind).toBe('bundle');
    expect(boot.file).toBeDefined();
    const bundle = readFileSync(boot.file ?? '', 'utf8');
    expect(bundle).toContain('parentPort');
    expect(bundle).not.toMatch(/require\("esbuild"\)|tsx\/cjs/);
    expect(boot.code).toContain(JSON.stringify(boot.file));
    expect(workerBoot()).toBe(boot);
  });
});
