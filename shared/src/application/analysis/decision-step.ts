import { type PipelineResult, runDecisionPipeline } from '../../domain/ensemble/decision-pipeline';
import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import { quotesAround, syntheticBook } from '../../domain/ensemble/synthetic-book';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { decimalFromNumber } from '../../domain/money/decimal';
import { type Krw, price } from '../../domain/money/quantities';
import { exposureBook } from '../../domain/risk/exposure';
import { withWholeWon } from '../../domain/risk/fat-finger';
import { emptyPosition } from '../../domain/risk/position-accounting';
import type { StrategySignal } from '../../domain/strategies/strategy';
import { decidedMarkets, strategyContext } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { LiveAccount } from './live-account';
import type { StrategyBook } from './strategy-book';

/** One decision instant of the minute analysis. */
export interface DecisionStepInput {
  /** Decision instant: the close of the step's bars. */
  readonly now: EpochMs;
  /** The bars closing at `now`, one per market that traded in the minute, sorted by market. */
  readonly bars: readonly Candle[];
  /** Each market's newest bar (a market named only by a signal is decided on its own last bar). */
  readonly lastBars: ReadonlyMap<Market, Candle>;
  /** Weights and enable flags of this run (configuration, runtime settings and toggles applied). */
  readonly ensemble: EnsembleConfig;
  readonly equity: Krw;
}

/** What one decision instant produced. */
export interface DecisionStepResult {
  /** Every strategy signal of the step, by market, in emission order. */
  readonly signals: ReadonlyMap<Market, readonly StrategySignal[]>;
  /** The pipeline's result per decided market, in market order. */
  readonly markets: ReadonlyMap<Market, PipelineResult>;
  /** Decisions that passed risk, in the order they were made (what goes to the queue). */
  readonly decisions: readonly Decision[];
}

/**
 * The bar-close step the backtest runs at every bar, for the minute analysis: the strategies see the
 * closed bars with their capital-sleeve contexts (collectSignals), and each decided market goes
 * through the shared decision pipeline against the account, decisions of the pass counting against
 * the next. Pure apart from advancing the book's strategies: no clock, no store.
 */
export function runDecisionStep(
  book: StrategyBook,
  account: LiveAccount,
  input: DecisionStepInput,
): DecisionStepResult {
  const { now, ensemble } = input;
  const limits = account.limits;
  const rules = account.rules;
  const held = new Map<string, Position>();
  for (const p of account.positions) held.set(`${p.market}|${p.strategy}`, p);
  const positionOf = (market: Market, strategy: StrategyName | 'operator'): Position =>
    held.get(`${market}|${strategy}`) ?? emptyPosition(market, strategy, now);
  const exposure = exposureBook(account.positions, account.currentCommitments);
  const signals = book.step(input.bars, now, (s, market, at) =>
    strategyContext(positionOf(market, s.name), exposure, limits, s.name, at),
  );
  const markets = new Map<Market, PipelineResult>();
  const decisions: Decision[] = [];
  for (const market of decidedMarkets(input.bars, signals)) {
    const bar = input.lastBars.get(market);
    if (bar === undefined) continue;
    const quotes = quotesAround(bar.close, market, now, rules);
    const view = withWholeWon({
      lastTradePrice: price(decimalFromNumber(bar.close)),
      book: syntheticBook(bar, now, rules, quotes),
    });
    const result = runDecisionPipeline(
      {
        market,
        now,
        signals: signals.get(market) ?? [],
        config: ensemble,
        rules,
        quotes,
        holdings: (strategy) => positionOf(market, strategy).volume.toNumber(),
        equity: input.equity,
      },
      account.forMarket(view, now),
    );
    markets.set(market, result);
    for (const r of result.routed) decisions.push(r.decision);
  }
  return { signals, markets, decisions };
}
