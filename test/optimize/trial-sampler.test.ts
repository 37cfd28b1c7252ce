import { SEARCH_SPACES } from '../../shared/src/backtest/optimize/search-spaces';
import { sampleTrials } from '../../shared/src/backtest/optimize/trial-sampler';
import {
  marketMakingParamsSchema,
  meanReversionParamsSchema,
  microstructureParamsSchema,
  momentumScalpingParamsSchema,
  statArbParamsSchema,
} from '../../shared/src/config/strategy-config-schema';
import { DEFAULT_STRATEGY_PARAMS } from '../../shared/src/domain/strategies/strategy-params';
import { STRATEGY_NAMES } from '../../shared/src/domain/trading/strategy-name';

const SCHEMAS = {
  market_making: marketMakingParamsSchema,
  stat_arb: statArbParamsSchema,
  microstructure: microstructureParamsSchema,
  momentum_scalping: momentumScalpingParamsSchema,
  mean_reversion: meanReversionParamsSchema,
} as const;

describe('sampleTrials', () => {
  it('is fully determined by the seed, starts with the defaults and never repeats a trial', () => {
    const a = sampleTrials(['stat_arb'], 40, 7);
    expect(sampleTrials(['stat_arb'], 40, 7)).toEqual(a);
    expect(sampleTrials(['stat_arb'], 40, 8)).not.toEqual(a);
    expect(a[0]).toEqual({ index: 0, params: {} });
    expect(new Set(a.map((t) => JSON.stringify(t.params))).size).toBe(40);
    expect(a.map((t) => t.index)).toEqual([...Array(40).keys()]);
  });

  it('draws only valid parameter sets inside each space, accepted by the config schema', () => {
    for (const name of STRATEGY_NAMES) {
      const space = SEARCH_SPACES[name];
      for (const trial of sampleTrials([name], 60, 3).slice(1)) {
        const drawn = (trial.params as Record<string, Record<string, number>>)[name] ?? {};
        const full = { ...DEFAULT_STRATEGY_PARAMS[name], ...drawn };
        expect(SCHEMAS[name].safeParse(full).success).toBe(true);
        expect((space.valid as ((p: unknown) => boolean) | undefined)?.(full) ?? true).toBe(true);
        for (const [key, value] of Object.entries(drawn)) {
          const range = (space.ranges as Record<string, { min: number; max: number; kind: string }>)[key];
          expect(range).toBeDefined();
          expect(value).toBeGreaterThanOrEqual(range?.min ?? Number.NaN);
          expect(value).toBeLessThanOrEqual(range?.max ?? Number.NaN);
          if (range?.kind === 'int') expect(Number.isInteger(value)).toBe(true);
        }
      }
    }
  });
});
