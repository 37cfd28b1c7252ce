import { SeededRandom } from '../../domain/exchange/prng';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParamsByName } from '../../domain/strategies/strategy-params';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { StrategyParamOverrides } from '../engine/strategy-registry';
import { type ParamRange, SEARCH_SPACES, type SearchSpace, type SearchSpaces } from './search-spaces';

/** One candidate: its index (0 is the defaults) and the overrides it applies per strategy. */
export interface Trial {
  readonly index: number;
  readonly params: StrategyParamOverrides;
}

/** Draws retried per trial before giving up on a space whose validity rule is too strict. */
const MAX_DRAWS = 1000;

function draw(range: ParamRange, rng: SeededRandom): number {
  if (range.kind === 'int') {
    const step = range.step ?? 1;
    const slots = Math.floor((range.max - range.min) / step) + 1;
    return range.min + rng.int(slots) * step;
  }
  const scale = 10 ** range.decimals;
  const lo = Math.ceil(range.min * scale);
  const hi = Math.floor(range.max * scale);
  return (lo + rng.int(hi - lo + 1)) / scale;
}

function sampleOne<S extends StrategyName>(
  name: S,
  space: SearchSpace<S>,
  rng: SeededRandom,
): Partial<StrategyParamsByName[S]> {
  for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
    const drawn: Record<string, number> = {};
    // Sorted keys: the draw order, hence the trial list, never depends on object literal order.
    for (const key of Object.keys(space.ranges).sort()) {
      const range = (space.ranges as Record<string, ParamRange | undefined>)[key];
      if (range !== undefined) drawn[key] = draw(range, rng);
    }
    const full = { ...DEFAULT_STRATEGY_PARAMS[name], ...drawn } as StrategyParamsByName[S];
    if (space.valid === undefined || space.valid(full)) return drawn as Partial<StrategyParamsByName[S]>;
  }
  throw new RangeError(
    `could not draw valid ${name} parameters in ${MAX_DRAWS} tries; check its search space`,
  );
}

/**
 * `count` trials for the given strategies, fully determined by `seed`: trial 0 is the defaults (the
 * baseline every other trial must beat out of sample), the rest are uniform random draws inside
 * each strategy's space that pass its validity rule. Duplicates are redrawn so no trial is wasted.
 */
export function sampleTrials(
  strategies: readonly StrategyName[],
  count: number,
  seed: number,
  spaces: SearchSpaces = SEARCH_SPACES,
): Trial[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`--trials must be a positive integer, got ${count}`);
  const rng = new SeededRandom(seed);
  const trials: Trial[] = [{ index: 0, params: {} }];
  const seen = new Set<string>([JSON.stringify({})]);
  let misses = 0;
  while (trials.length < count) {
    const params: Record<string, unknown> = {};
    for (const name of strategies) params[name] = sampleOne(name, spaces[name] as SearchSpace, rng);
    const key = JSON.stringify(params);
    if (seen.has(key)) {
      misses += 1;
      // A tiny space may hold fewer distinct points than trials asked for: stop instead of spinning.
      if (misses > MAX_DRAWS) break;
      continue;
    }
    seen.add(key);
    trials.push({ index: trials.length, params: params as StrategyParamOverrides });
  }
  return trials;
}
