import type { Candle, Trade } from '../market/market-data';
import type { Market } from '../market/market-id';
import { ZERO } from '../money/decimal';
import { differenceOf } from '../money/decimal-sums';
import { numberOf } from '../money/decimal-units';
import { krw } from '../money/quantities';
import { averageEntryDouble } from '../risk/average-entry';
import type { ExposureBook } from '../risk/exposure';
import type { RiskLimits } from '../risk/risk-limits';
import type { EpochMs } from '../time/epoch';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { StepSignals } from './step-signals';
import type { Strategy, StrategyContext, StrategySignal } from './strategy';

/**
 * What a strategy may know about its own book when it looks at a bar: its position in the market,
 * the average entry, and the KRW it may still deploy under the per-strategy cap (its capital
 * sleeve) given everything it holds and has on order. One function for the backtest (broker
 * positions) and the minute analysis (stored positions), so both show strategies the same facts.
 */
export function strategyContext(
  position: Position,
  book: ExposureBook,
  limits: Pick<RiskLimits, 'maxStrategyExposure'>,
  strategy: StrategyName,
  now: EpochMs,
): StrategyContext {
  const used = book.byStrategy.get(strategy) ?? krw(ZERO);
  // differenceOf / numberOf: the same decimal and double as minus / toNumber, without decimal.js
  // when exact (a new context whenever the book changed: every bar of market making).
  const availableKrw = Math.max(0, numberOf(differenceOf(limits.maxStrategyExposure, used)));
  return new PositionContext(now, numberOf(position.volume), availableKrw, position);
}

/**
 * A {@link strategyContext}: the average entry is worked out on its first read, from the position
 * the context was made of (positions are immutable: a fill makes a new one). It is an exact
 * quotient, the costliest part of a context, and no strategy reads it yet, while the backtest makes
 * a context after every change of the book (a fifth of market making's bars).
 */
class PositionContext implements StrategyContext {
  /**
   * Mutable: the backtest moves a context to the next bar while its facts hold (StrategyContexts),
   * for every strategy on every bar. Defined as a double (NaN), not as a parameter property: class
   * fields are defined first as `undefined` (ES2022 field semantics), which left `now` a tagged
   * field, so each move stored a new heap number (an epoch in ms is no small integer) through the
   * write barrier's slow path (~1 % of an `all` year, four contexts a bar). A double field is
   * rewritten in place.
   */
  now = Number.NaN as EpochMs;
  /** Whether {@link average} holds the position's average entry yet. */
  private averaged = false;
  private average: number | undefined = undefined;

  constructor(
    now: EpochMs,
    readonly positionVolume: number,
    readonly availableKrw: number,
    private readonly position: Position,
  ) {
    this.now = now;
  }

  /** Undefined while flat (see averageEntryDouble). */
  get avgEntryPrice(): number | undefined {
    if (!this.averaged) {
      this.average = averageEntryDouble(this.position);
      this.averaged = true;
    }
    return this.average;
  }
}

/** No tape trades: one frozen list as the default, not a new array per call. */
const NO_TRADES: readonly Trade[] = Object.freeze([]);

/** A strategy's context for a market at an instant (see {@link strategyContext}). */
export type ContextFor = (strategy: Strategy, market: Market, now: EpochMs) => StrategyContext;

/**
 * What {@link collectSignals} asks for contexts: an object with a method, not a function, so that a
 * class's prototype method is the one call target of every run (a closure made per run is a new
 * target, which threw away the step's optimised code in each later run of an optimizer worker).
 */
export interface ContextSource {
  readonly contextFor: ContextFor;
}

/**
 * Shows one time step to the strategies exactly as the backtest and the minute analysis both do:
 * first the step's trades (tape) in time order to the strategies that read the tape, then each bar
 * (bars sorted by market) to every strategy watching its market, strategies in the given order.
 * Returns the signals grouped by market, each list in emission order, in `into` (refilled: the
 * backtest engine passes its one {@link StepSignals} for the run) or in a new one.
 */
export function collectSignals(
  strategies: readonly Strategy[],
  bars: readonly Candle[],
  now: EpochMs,
  contexts: ContextSource,
  trades: readonly Trade[] = NO_TRADES,
  into: StepSignals = new StepSignals(),
): StepSignals {
  into.begin();
  // Indexed loops: this runs per bar, most bars emit the shared empty list (or market making's
  // one-signal list), and most steps have no tape trades.
  for (let t = 0; t < trades.length; t++) {
    const trade = trades[t] as Trade;
    for (const s of strategies)
      if (s.onTrade !== undefined && s.markets.includes(trade.market))
        addAll(into, s.onTrade(trade, contexts.contextFor(s, trade.market, trade.timestamp as EpochMs)));
  }
  for (let b = 0; b < bars.length; b++) {
    const bar = bars[b] as Candle;
    for (let k = 0; k < strategies.length; k++) {
      const s = strategies[k] as Strategy;
      if (!tradesIn(s.markets, bar.market)) continue;
      const emitted = s.onBar(bar, contexts.contextFor(s, bar.market, now));
      if (emitted.length !== 0) addAll(into, emitted);
    }
  }
  into.seal();
  return into;
}

/**
 * `markets.includes(market)` as a loop (markets are strings: the same equality). Asked for every
 * strategy on every bar; in `all` the lists of five strategy classes meet at this one site, whose
 * array maps TurboFan then cannot know, so `includes` stayed a call of the generic builtin.
 */
function tradesIn(markets: readonly Market[], market: Market): boolean {
  for (let i = 0; i < markets.length; i++) if (markets[i] === market) return true;
  return false;
}

function addAll(into: StepSignals, emitted: readonly StrategySignal[]): void {
  for (let i = 0; i < emitted.length; i++) into.add(emitted[i] as StrategySignal);
}

/** The strategy of every signal in the list when there is just one (undefined for none or several). */
export function soleStrategy(signals: readonly StrategySignal[]): StrategyName | undefined {
  const first = signals[0]?.strategy;
  for (let i = 1; i < signals.length; i++)
    if ((signals[i] as StrategySignal).strategy !== first) return undefined;
  return first;
}

/** The markets a step decides on: those with a bar in the step and those a signal named, sorted. */
export function decidedMarkets(bars: readonly Candle[], signals: ReadonlyMap<Market, unknown>): Market[] {
  const out = new Set<Market>(bars.map((b) => b.market));
  for (const m of signals.keys()) out.add(m);
  return [...out].sort();
}
