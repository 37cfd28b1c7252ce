import type { PipelineInput } from '../../domain/ensemble/decision-pipeline';
import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import type { SyntheticQuotes } from '../../domain/ensemble/synthetic-book';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import type { Krw } from '../../domain/money/quantities';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';

/** What a {@link RouterInput} reads of its router (the OrderRouter), named so this file needs no import of it. */
export interface RouterInputSource {
  readonly config: EnsembleConfig;
  readonly marketRules: MarketRules;
  readonly holdings: (strategy: StrategyName) => number;
  quotesAt(bar: Candle, now: EpochMs): SyntheticQuotes;
}

/**
 * One market's pipeline input. The bar's quotes are made on first read: a signal the ensemble
 * holds (a sell with nothing to sell) or the risk engine refuses before pricing never needs them.
 */
export class RouterInput implements PipelineInput {
  readonly market: Market;
  readonly config: EnsembleConfig;
  readonly rules: MarketRules;
  readonly holdings: (strategy: StrategyName) => number;
  /** The synthetic book always has one bid and one ask level. */
  readonly twoSidedBook = true;

  constructor(
    private readonly router: RouterInputSource,
    private readonly bar: Candle,
    readonly now: EpochMs,
    readonly signals: readonly StrategySignal[],
    readonly equity: Krw,
    readonly fateOnly: boolean,
  ) {
    this.market = bar.market;
    this.config = router.config;
    this.rules = router.marketRules;
    this.holdings = router.holdings;
  }

  get quotes(): SyntheticQuotes {
    return this.router.quotesAt(this.bar, this.now);
  }
}
