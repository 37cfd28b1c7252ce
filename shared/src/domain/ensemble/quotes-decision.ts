import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { QuoteHints } from '../strategies/quote-hints';
import { carriedContribution } from '../strategies/signal-contribution';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision, SignalContribution } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { EnsembleInput } from './ensemble';
import { quotesIntent } from './lazy-quotes-intent';
import type { TopOfBook } from './top-of-book';

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
  /** The decision's expiry (`now + decisionTtlMs`); it is created at `input.now` for `input.market`. */
  expiresAt: EpochMs,
  /** Whole-won levels made on first read (LazyQuotesIntent): the ladder path places them as integers. */
  lazyLevels = false,
): Decision | undefined {
  if (!input.config.enabled.market_making) return undefined;
  const latest = latestMarketMaking(signals);
  if (latest?.quotes === undefined) return undefined;
  return quotesDecisionOf(
    latest,
    latest.quotes,
    input.market,
    input.now,
    expiresAt,
    rules,
    input.book,
    lazyLevels,
  );
}

/** Market making's latest signal among `signals` (a backward scan: no filtered copy per bar). */
export function latestMarketMaking(signals: readonly StrategySignal[]): StrategySignal | undefined {
  for (let i = signals.length - 1; i >= 0; i--) {
    const s = signals[i] as StrategySignal;
    if (s.strategy === StrategyName.marketMaking) return s;
  }
  return undefined;
}

/**
 * {@link quotesDecision} from market making's latest signal (its `quotes` passed along) once the
 * caller found it: the ladder path, which scans the market's signals anyway, builds no ensemble
 * input for it. The decision is created at `now` for `market` and expires at `expiresAt`.
 */
export function quotesDecisionOf(
  latest: StrategySignal,
  quotes: QuoteHints,
  market: Market,
  now: EpochMs,
  expiresAt: EpochMs,
  rules: MarketRules,
  book: TopOfBook | undefined,
  lazyLevels: boolean,
): Decision {
  // The same keys in the same order as a directional decision's (`signals` after `source`).
  return {
    market,
    createdAt: now,
    expiresAt,
    source: StrategyName.marketMaking,
    signals: [contributionOf(latest, lazyLevels)],
    id: strategyDecisionId(StrategyName.marketMaking, market, now),
    strategy: StrategyName.marketMaking,
    intent: quotesIntent(market, quotes, now, rules, book, lazyLevels),
  };
}

/**
 * Market making's contribution to its quotes decision: `{ strategy, score: 0, weight: 1, reason }`,
 * or, for the ladder path's lazy decision (`lazy`: read only by the backtest's broker, as its
 * LazyQuotesIntent), the one the signal carries when it is that very contribution (market making's
 * QuoteReason: its text made when a layer's fill reads it).
 */
function contributionOf(latest: StrategySignal, lazy: boolean): SignalContribution {
  if (lazy) {
    const carried = carriedContribution(latest);
    if (
      carried !== undefined &&
      carried.strategy === StrategyName.marketMaking &&
      carried.score === 0 &&
      carried.weight === 1
    )
      return carried;
  }
  return { strategy: StrategyName.marketMaking, score: 0, weight: 1, reason: latest.reason };
}
