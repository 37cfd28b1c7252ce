import type { EnsembleConfig } from '../ensemble/ensemble-config';
import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import { timeframeMs } from '../market/timeframe';
import type { EpochMs } from '../time/epoch';
import type { RiskLimits } from './risk-limits';

/** How one strategy's signals are traded on paper (float64: statistics, never the order path). */
export interface ShadowSettings {
  /** Taker fee rate paid on both legs (Upbit KRW: 0.0005). */
  readonly takerFee: number;
  /** Stop-loss and take-profit as positive fractions, net of fees (the live exits' thresholds). */
  readonly stopLoss: number;
  readonly takeProfit: number;
  /** The ensemble's thresholds a lone signal must pass: conviction ≥ minScore, size = conviction × cap. */
  readonly minScore: number;
  readonly perTradeCapKrw: number;
  /** Upbit's minimum order total. */
  readonly minTotal: number;
}

/**
 * The shadow ledgers' settings: they trade like a lone signal of the ensemble, with the live exits
 * and fees, as doubles read once at setup (the ledgers run on every bar). One definition for the
 * backtest and the minute analysis, so both score strategies alike.
 */
export function shadowSettings(
  rules: MarketRules,
  limits: RiskLimits,
  ensemble: EnsembleConfig,
): ShadowSettings {
  return {
    takerFee: rules.takerFee.toNumber(),
    stopLoss: limits.stopLoss.toNumber(),
    takeProfit: limits.takeProfit.toNumber(),
    minScore: ensemble.minScore,
    perTradeCapKrw: ensemble.perTradeCapKrw,
    minTotal: rules.minTotal.toNumber(),
  };
}

/**
 * Best bid and ask around a traded price (the synthetic book), as floats. `bid`, when given, is the
 * same bid alone: a held position is marked at every bar's close and reads only the bid. Methods of
 * an object, not a function: a class's prototype methods are the same call targets in every run (a
 * closure per run was a new target in each later run of an optimizer worker, a deopt of `onBar`).
 */
export interface QuoteAt {
  quote(traded: number, market: Market, at: EpochMs): { readonly bid: number; readonly ask: number };
  bid?(traded: number, market: Market, at: EpochMs): number;
}

interface PaperPosition {
  volume: number;
  /** KRW paid, fee included. */
  cost: number;
  /** Opened while the Kelly gate was closed: its outcome enters the gate's record. */
  gated: boolean;
}

interface Pending {
  side: 'buy' | 'sell';
  notional: number;
  gated: boolean;
}

/** A paper round trip that just closed. */
export interface ShadowTrade {
  readonly market: Market;
  readonly netPnl: number;
  readonly gated: boolean;
  readonly at: EpochMs;
}

/** The ledger as plain data (stored by the minute analysis). */
export interface ShadowLedgerState {
  readonly positions: Readonly<Record<string, PaperPosition>>;
  readonly pending: Readonly<Record<string, Pending>>;
  readonly lastBid: Readonly<Record<string, number>>;
  readonly trades: number;
  readonly wins: number;
  readonly netPnl: number;
}

/** The paper result: closed round trips and net PnL, open positions marked at the last bid. */
export interface ShadowResult {
  readonly trades: number;
  readonly wins: number;
  readonly netPnlKrw: number;
  readonly openAtEnd: number;
}

/**
 * One strategy's signals traded on paper with no ensemble, no risk limits and no Kelly gate, under
 * the backtest's fill model: a buy view opens a position (when none is open) of the size the
 * strategy would trade alone, a sell view or the stop-loss / take-profit closes it; orders decided
 * at a bar's close fill at the next bar's open as a taker (buy at the ask, sell at the bid of the
 * synthetic book, fee on both legs). Two uses: the ungated signal result next to the gated one, and
 * the shadow trades that let a strategy the Kelly gate switched off prove its edge again.
 */
/** What a bar that closed no round trip returns (shared and frozen: callers only read it). */
const NO_TRADES: readonly ShadowTrade[] = Object.freeze([]);

export class ShadowLedger {
  private readonly positions = new Map<Market, PaperPosition>();
  private readonly pending = new Map<Market, Pending>();
  private readonly lastBid = new Map<Market, number>();
  private trades = 0;
  private wins = 0;
  // First defined as NaN (a double field), then zeroed in the constructor: defined as 0 (a small
  // integer), the ledger's hidden class changed at the first shadow round trip's fractional PnL, and
  // code optimised with the old class (the engine's step, which runs every ledger's bar) was thrown
  // away days or weeks into a run (stat_arb) and compiled again.
  private netPnl = Number.NaN;

  constructor(
    private readonly settings: ShadowSettings,
    private readonly quote: QuoteAt,
    state?: ShadowLedgerState,
  ) {
    this.netPnl = 0;
    if (state === undefined) return;
    for (const [m, p] of Object.entries(state.positions)) this.positions.set(m as Market, { ...p });
    for (const [m, p] of Object.entries(state.pending)) this.pending.set(m as Market, { ...p });
    for (const [m, b] of Object.entries(state.lastBid)) this.lastBid.set(m as Market, b);
    this.trades = state.trades;
    this.wins = state.wins;
    this.netPnl = state.netPnl;
  }

  /**
   * Runs a closed bar of a market: orders queued at the previous close fill at its open, then the
   * stop-loss / take-profit is checked at its close (an exit then fills at the next open, like the
   * backtest's exits). Returns the round trips it closed.
   */
  onBar(bar: Candle): readonly ShadowTrade[] {
    const order = this.pending.size === 0 ? undefined : this.pending.get(bar.market);
    // Most bars: nothing queued and nothing held, so nothing to fill, mark or close (no list made).
    if (order === undefined && this.positions.size === 0) return NO_TRADES;
    let out: ShadowTrade[] | undefined;
    const s = this.settings;
    if (order !== undefined) {
      this.pending.delete(bar.market);
      const q = this.quote.quote(bar.open, bar.market, bar.openTime);
      const held = this.positions.get(bar.market);
      if (order.side === 'buy' && held === undefined && q.ask > 0)
        this.positions.set(bar.market, {
          volume: order.notional / q.ask,
          cost: order.notional * (1 + s.takerFee),
          gated: order.gated,
        });
      else if (order.side === 'sell' && held !== undefined) {
        const pnl = held.volume * q.bid * (1 - s.takerFee) - held.cost;
        this.positions.delete(bar.market);
        this.trades += 1;
        if (pnl > 0) this.wins += 1;
        this.netPnl += pnl;
        out = [{ market: bar.market, netPnl: pnl, gated: held.gated, at: bar.openTime }];
      }
    }
    const held = this.positions.get(bar.market);
    const close = (bar.openTime + timeframeMs(bar.timeframe)) as EpochMs;
    const quotes = this.quote;
    const bid =
      held === undefined
        ? undefined
        : quotes.bid === undefined
          ? quotes.quote(bar.close, bar.market, close).bid
          : quotes.bid(bar.close, bar.market, close);
    if (bid !== undefined) this.lastBid.set(bar.market, bid);
    // Nothing is queued for this market here: an order queued before this bar was taken above.
    if (held !== undefined && bid !== undefined) {
      const net = (held.volume * bid * (1 - s.takerFee)) / held.cost - 1;
      if (net <= -s.stopLoss || net >= s.takeProfit)
        this.pending.set(bar.market, { side: 'sell', notional: 0, gated: held.gated });
    }
    return out ?? NO_TRADES;
  }

  /**
   * The strategy's net view of a market at a bar close (signed strength in [−1, 1]): a buy view
   * with no position queues a buy of the lone-signal size (when it passes minScore and the exchange
   * minimum), a sell view with a position queues its exit. `gated` marks a position opened while
   * the Kelly gate is closed.
   */
  onView(market: Market, score: number, gated: boolean): void {
    const s = this.settings;
    const held = this.positions.has(market);
    if (score > 0 && !held && this.pending.get(market) === undefined) {
      const conviction = Math.min(1, score);
      const notional = Math.floor(conviction * s.perTradeCapKrw);
      if (conviction >= s.minScore && notional >= s.minTotal)
        this.pending.set(market, { side: 'buy', notional, gated });
    } else if (score < 0) {
      if (this.pending.get(market)?.side === 'buy') this.pending.delete(market);
      else if (held && this.pending.get(market) === undefined)
        this.pending.set(market, { side: 'sell', notional: 0, gated });
    }
  }

  /** Closed round trips and net PnL, open positions marked at their last bid after the sell fee. */
  result(): ShadowResult {
    let marked = 0;
    for (const [m, p] of this.positions)
      marked += p.volume * (this.lastBid.get(m) ?? 0) * (1 - this.settings.takerFee) - p.cost;
    return {
      trades: this.trades,
      wins: this.wins,
      netPnlKrw: this.netPnl + marked,
      openAtEnd: this.positions.size,
    };
  }

  /** The ledger as plain data. */
  state(): ShadowLedgerState {
    return {
      positions: Object.fromEntries([...this.positions].map(([m, p]) => [m, { ...p }])),
      pending: Object.fromEntries([...this.pending].map(([m, p]) => [m, { ...p }])),
      lastBid: Object.fromEntries(this.lastBid),
      trades: this.trades,
      wins: this.wins,
      netPnl: this.netPnl,
    };
  }
}
