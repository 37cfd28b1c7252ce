import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { strategiesSchema } from '../../config/strategy-config-schema';
import { DEFAULT_ENSEMBLE_WEIGHTS } from '../../domain/ensemble/ensemble-config';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { sharpeText } from './optimize-summary';
import type { OptimizeResult } from './run-optimize';

/**
 * The best parameters as a `strategies:` snippet in `config/default.yaml`'s shape (enabled, weight,
 * full params), so a user can paste it into their config file as is. Each entry is checked against
 * the config schema first: a snippet the config loader would refuse is never written.
 */
export function bestParamsYaml(result: OptimizeResult): string {
  const strategies: Record<string, unknown> = {};
  for (const name of result.strategies) {
    const entry = { enabled: true, weight: DEFAULT_ENSEMBLE_WEIGHTS[name], params: result.best.params[name] };
    const schema = strategiesSchema.shape[name as StrategyName];
    const parsed = schema.safeParse(entry);
    if (!parsed.success)
      throw new RangeError(`best ${name} parameters do not pass the config schema: ${parsed.error.message}`);
    strategies[name] = entry;
  }
  const holdout = result.holdout;
  const header = [
    `Best parameters from npm run optimize (trial ${result.best.trial} of ${result.trials} configurations tried, seed ${result.seed}),`,
    `chosen by in-sample ${result.metric} on ${result.selectionWindow.from} → ${result.selectionWindow.to} (${result.markets.join(', ')} ${result.timeframe}),`,
    `without seeing the holdout. In sample: ${sharpeText(result.best.selection)}.`,
    `Walk-forward (${result.folds.length} folds, out of sample): return ${result.walkForward.chained.returnPct.toFixed(3)} %, ${sharpeText(result.walkForward.chained)}.`,
    holdout === null
      ? 'No holdout (--holdout 0): nothing confirms this choice on unseen data.'
      : `Holdout ${holdout.from} → ${holdout.to}: return ${holdout.returnPct.toFixed(3)} %, ${sharpeText(holdout)}.`,
    'Paste under your config file; past performance does not guarantee future results.',
  ];
  return `${header.map((l) => `# ${l}`).join('\n')}\n${stringify({ strategies })}`;
}

/** Writes {@link bestParamsYaml} to `path`, creating the folder. */
export function writeBestParamsYaml(result: OptimizeResult, path: string): void {
  const dir = dirname(path);
  if (dir !== '' && dir !== '.') mkdirSync(dir, { recursive: true });
  writeFileSync(path, bestParamsYaml(result), 'utf8');
}
