import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { EnsembleInput } from './ensemble';
import { quotesIntent } from './lazy-quotes-intent';

/**
 * Market making's decision for the market: its latest signal's quote hints as exact levels (see
 * toQuoteLevels); undefined when market making is off or its latest signal carries no quotes.
 * `signals` are the market's own. Exported for the ladder path (ladder-path.ts), which decides the
 * same decision without the rest of the ensemble.
 */
export function quotesDecision(
  input: EnsembleInput,
  signals: readonly StrategySignal[],
  rules: MarketRules,
  base: { market: Market; createdAt: EpochMs; expiresAt: EpochMs },
  /** Whole-won levels made on first read (LazyQuotesIntent): the ladder path places them as integers. */
  lazyLevels = false,
): Decision | undefined {
  if (!input.config.enabled.market_making) return undefined;
  // Market making's latest signal (a backward scan: no filtered copy per bar).
  let latest: StrategySignal | undefined;
  for (let i = signals.length - 1; i >= 0 && latest === undefined; i--)
    if ((signals[i] as StrategySignal).strategy === StrategyName.marketMaking) latest = signals[i];
  if (latest?.quotes === undefined) return undefined;
  // The same keys in the same order as a directional decision's (`signals` after `source`).
  return {
    market: base.market,
    createdAt: base.createdAt,
    expiresAt: base.expiresAt,
    source: StrategyName.marketMaking,
    signals: [{ strategy: StrategyName.marketMaking, score: 0, weight: 1, reason: latest.reason }],
    id: strategyDecisionId(StrategyName.marketMaking, input.market, input.now),
    strategy: StrategyName.marketMaking,
    intent: quotesIntent(input.market, latest.quotes, input.now, rules, input.book, lazyLevels),
  };
}
