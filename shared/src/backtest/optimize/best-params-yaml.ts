import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { strategiesSchema } from '../../config/strategy-config-schema';
import { DEFAULT_ENSEMBLE_WEIGHTS } from '../../domain/ensemble/ensemble-config';
import type { StrategyName } from '../../domain/trading/strategy-name';
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
  const best = result.ranking[0];
  const header = [
    `Best parameters from npm run optimize (trial ${result.best.trial} of ${result.trials}, seed ${result.seed}).`,
    `Walk-forward over ${result.folds.length} folds on ${result.markets.join(', ')} ${result.timeframe},`,
    `ranked by mean out-of-sample ${result.metric}: ${best?.outOfSampleMean.toFixed(4) ?? '–'}` +
      ` (defaults: ${result.baseline.outOfSampleMean.toFixed(4)}).`,
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
