import { workerBoot } from '../../shared/src/backtest/optimize/worker-boot';

describe('optimizer worker boot', () => {
  it('bundles the TypeScript worker entry once per process, without tsx or esbuild inside', () => {
    const boot = workerBoot();
    expect(boot.kind).toBe('bundle');
    expect(boot.code).toContain('parentPort');
    expect(boot.code).not.toMatch(/require\("esbuild"\)|tsx\/cjs/);
    expect(workerBoot()).toBe(boot);
  });
});
