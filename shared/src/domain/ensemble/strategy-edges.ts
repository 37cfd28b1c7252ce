import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import { EdgeGate, type EdgeGateState, type GateClosure } from '../risk/edge-gate';
import { type GatedWarmUp, recordGated, warmGatedFeedback } from '../risk/gated-shadow-trades';
import type { TradeOutcomeStats } from '../risk/kelly-sizing';
import type { KellyLimits } from '../risk/risk-limits';
import {
  type QuoteAt,
  ShadowLedger,
  type ShadowLedgerState,
  type ShadowResult,
  type ShadowSettings,
} from '../risk/shadow-ledger';
import { emptyDoubles, emptyRefs } from '../shapes/typed-empty-arrays';
import type { StrategySignal } from '../strategies/strategy';
import { soleStrategy } from '../strategies/strategy-step';
import type { EpochMs } from '../time/epoch';
import { StrategyName } from '../trading/strategy-name';
import { signedScore } from './weighted-vote';

/** Every directional strategy's gate and shadow ledger as plain data. */
export interface StrategyEdgesState {
  readonly gates: Readonly<Partial<Record<StrategyName, EdgeGateState>>>;
  readonly ledgers: Readonly<Partial<Record<StrategyName, ShadowLedgerState>>>;
}

/**
 * A ledger with its gate. A class, not a literal: V8 widens a literal's object fields the second
 * time a literal of that shape is made (the next run in an optimizer worker), which threw away the
 * first run's optimised per-bar code that read them.
 */
class Paired {
  constructor(
    readonly name: StrategyName,
    readonly ledger: ShadowLedger,
    readonly gate: EdgeGate | undefined,
  ) {}
}

/**
 * The measured edge of each directional strategy, the same in the backtest and the minute
 * analysis: the Kelly gate's record (real closed trades, plus the shadow trades of the signals it
 * refused while closed) and the shadow ledger that trades every signal on paper. Market making has
 * no directional view and its quotes are not Kelly-sized, so it has neither.
 */
export class StrategyEdges {
  private readonly gates = new Map<StrategyName, EdgeGate>();
  private readonly ledgers = new Map<StrategyName, ShadowLedger>();
  /** Each ledger with its gate, in the ledgers' order (the per-bar loop's list). */
  private readonly paired: Paired[] = emptyRefs();
  /** onMarketSignals' per-strategy sums of one market's signals (valid during one call). */
  private readonly viewNames: StrategyName[] = emptyRefs();
  private readonly viewSums: number[] = emptyDoubles();
  /**
   * The gated-trade loop's warm-up (gated-shadow-trades.ts), run once the run's gates exist and held
   * as long as they are: its feedback then names the class this run's gates have, and stays. Read
   * by nothing but a test.
   */
  readonly gatedWarmUp: GatedWarmUp;

  constructor(
    names: readonly StrategyName[],
    kelly: KellyLimits,
    shadow: ShadowSettings,
    quote: QuoteAt,
    state: StrategyEdgesState = { gates: {}, ledgers: {} },
  ) {
    for (const n of names) {
      if (n === StrategyName.marketMaking) continue;
      this.gates.set(n, new EdgeGate(kelly, state.gates[n]));
      this.ledgers.set(n, new ShadowLedger(shadow, quote, state.ledgers[n]));
    }
    for (const [n, ledger] of this.ledgers) this.paired.push(new Paired(n, ledger, this.gates.get(n)));
    this.gatedWarmUp = warmGatedFeedback();
  }

  /** Kelly inputs of a strategy (an empty record for market making and the operator). */
  stats(strategy: StrategyName | 'operator'): TradeOutcomeStats {
    const gate = strategy === 'operator' ? undefined : this.gates.get(strategy);
    return gate?.stats() ?? { trades: 0, winRate: 0, payoffRatio: 0 };
  }

  /** A real closed trade (a sell fill's realised PnL, net of fees). */
  recordTrade(strategy: StrategyName | 'operator', netPnl: number, at: EpochMs): void {
    if (strategy !== 'operator') this.gates.get(strategy)?.record(netPnl, at);
  }

  /** Runs a closed bar through every shadow ledger; gated shadow trades enter their gate's record. */
  onBar(bar: Candle): void {
    // Every bar of every market comes through here: an indexed loop over a list made once, no
    // Map iterator or entry pair per bar.
    const paired = this.paired;
    for (let i = 0; i < paired.length; i++) {
      const { ledger, gate } = paired[i] as Paired;
      recordGated(ledger.onBar(bar), gate);
    }
  }

  /** The step's signals (by market): each strategy's net view per market goes to its shadow ledger. */
  onSignals(signals: ReadonlyMap<Market, readonly StrategySignal[]>): void {
    for (const [market, list] of signals) this.onMarketSignals(market, list);
  }

  /**
   * {@link onSignals} for one market's signals (a step whose signals are all for one market: every
   * single-market run), without iterating a map.
   */
  onMarketSignals(market: Market, list: readonly StrategySignal[]): void {
    const sole = soleStrategy(list);
    if (sole !== undefined) {
      // One strategy's signals (every single-strategy run): its view without a map per market.
      let sum = 0;
      for (let i = 0; i < list.length; i++) sum = sum + signedScore(list[i] as StrategySignal);
      this.view(sole, market, sum);
      return;
    }
    // Several strategies' signals (`all`'s bars where market making quotes beside another view):
    // each strategy's sum in the order it first signalled, as a map's iteration gave it, in two
    // lists kept for the run instead of a map per such bar.
    const names = this.viewNames;
    const sums = this.viewSums;
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as StrategySignal;
      let k = 0;
      while (k < n && names[k] !== s.strategy) k++;
      if (k === n) {
        names[n] = s.strategy;
        sums[n] = 0;
        n++;
      }
      sums[k] = (sums[k] as number) + signedScore(s);
    }
    for (let k = 0; k < n; k++) this.view(names[k] as StrategyName, market, sums[k] as number);
  }

  /** A strategy's summed view of a market goes to its shadow ledger (clamped; none when flat). */
  private view(name: StrategyName, market: Market, sum: number): void {
    if (sum === 0) return;
    // The pairs' list, not the maps: one directional strategy (a single-strategy run) is its first
    // entry, found by one comparison.
    const paired = this.paired;
    for (let i = 0; i < paired.length; i++) {
      const p = paired[i] as Paired;
      if (p.name === name) {
        p.ledger.onView(market, Math.min(1, Math.max(-1, sum)), p.gate?.closed ?? false);
        return;
      }
    }
  }

  /** The ungated (paper) result of every directional strategy. */
  shadowResults(): Map<StrategyName, ShadowResult> {
    return new Map([...this.ledgers].map(([n, l]) => [n, l.result()]));
  }

  /** Every strategy's gate closures so far. */
  gatePeriods(): Map<StrategyName, readonly GateClosure[]> {
    return new Map([...this.gates].map(([n, g]) => [n, g.periods()]));
  }

  /** The whole state as plain data. */
  state(): StrategyEdgesState {
    const gates: Partial<Record<StrategyName, EdgeGateState>> = {};
    const ledgers: Partial<Record<StrategyName, ShadowLedgerState>> = {};
    for (const [n, g] of this.gates) gates[n] = g.state();
    for (const [n, l] of this.ledgers) ledgers[n] = l.state();
    return { gates, ledgers };
  }
}
