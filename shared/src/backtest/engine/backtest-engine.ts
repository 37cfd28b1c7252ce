import {
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
} from '../../domain/ensemble/ensemble-config';
import { SeededRandom } from '../../domain/exchange/prng';
import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { timeframeMs } from '../../domain/market/timeframe';
import { type Decimal, decimalFromNumber, ZERO } from '../../domain/money/decimal';
import { krw, type Price, price } from '../../domain/money/quantities';
import { type ExposureBook, exposureBook } from '../../domain/risk/exposure';
import { averageEntryPrice } from '../../domain/risk/position-accounting';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import type { Strategy, StrategyContext, StrategySignal } from '../../domain/strategies/strategy';
import { type EpochMs, epochMs } from '../../domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { barTapeOf } from '../broker/book-feed';
import { type BrokerFill, SimulatedBroker } from '../broker/simulated-broker';
import type { BacktestInput, StepSnapshot } from './backtest-input';
import { OrderRouter } from './order-router';
import { BacktestRiskState } from './risk-state';
import { createStrategies, resolveStrategyParams, selectedStrategies } from './strategy-registry';

/** Receives every fill in time order with the strategy that owns it (for results and reports). */
export type FillListener = (fill: BrokerFill) => void;

function ensembleConfig(input: BacktestInput, names: readonly StrategyName[]): EnsembleConfig {
  const enabled = Object.fromEntries(STRATEGY_NAMES.map((n) => [n, names.includes(n)])) as Record<
    StrategyName,
    boolean
  >;
  return {
    ...DEFAULT_ENSEMBLE_CONFIG,
    ...(input.params?.ensemble ?? {}),
    weights: { ...DEFAULT_ENSEMBLE_WEIGHTS, ...(input.params?.weights ?? {}) },
    enabled,
  };
}

/**
 * The event loop's per-step logic, shared by every strategy selection: for each time step (all
 * markets' bars with one open time) it (1) lets the broker run the bar against the orders placed at
 * the previous close, (2) marks holdings to the close and updates the loss ledgers, (3) fires exits,
 * (4) shows the now-closed bars to the strategies and (5) routes their signals through the ensemble
 * and risk engine into orders for the next bar. Strategies only ever see closed bars up to now and
 * orders only fill on later bars, so no step can use data from its future.
 */
export class BacktestEngine {
  readonly names: readonly StrategyName[];
  /** Strategies `all` left out because they cannot run on these settings, with the reason. */
  readonly skipped: Readonly<Partial<Record<StrategyName, string>>>;
  readonly rules: MarketRules;
  readonly limits: RiskLimits;
  readonly broker: SimulatedBroker;
  private readonly strategies: readonly Strategy[];
  private readonly router: OrderRouter;
  private readonly risk: BacktestRiskState;
  private readonly marks = new Map<Market, Price>();
  private readonly lastBar = new Map<Market, Candle>();
  private readonly tfMs: number;
  readonly refusals = new Map<string, number>();

  constructor(
    input: BacktestInput,
    private readonly onFill: FillListener,
  ) {
    const params = resolveStrategyParams(input.params?.strategies, input.timeframe);
    const markets = [...input.candlesByMarket.keys()].sort();
    const built =
      input.strategyInstances === undefined
        ? createStrategies(selectedStrategies(input.strategies), params, markets, input.strategies === 'all')
        : { strategies: [...input.strategyInstances], skipped: {} };
    this.strategies = built.strategies;
    this.skipped = built.skipped;
    this.names = STRATEGY_NAMES.filter((n) => built.strategies.some((s) => s.name === n));
    this.rules = input.rules ?? { ...KRW_MARKET_RULES, makerFee: input.feeRate, takerFee: input.feeRate };
    this.limits = input.risk ?? DEFAULT_RISK_LIMITS;
    this.tfMs = timeframeMs(input.timeframe);
    const rng = new SeededRandom(input.seed);
    this.broker = new SimulatedBroker(input.capital, this.rules, input.slippageBps, () => rng.next());
    this.risk = new BacktestRiskState(this.limits, input.assumeOperatorRelease ?? true, (key) =>
      this.count(key),
    );
    this.router = new OrderRouter(
      this.broker,
      this.risk,
      this.limits,
      this.rules,
      ensembleConfig(input, this.names),
      (key) => this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1),
    );
  }

  /**
   * Processes one time step (bars sharing an open time, sorted by market) and returns its snapshot.
   * `trades` are the tape's trades stamped before the step's close not yet shown, in time order:
   * they reach `onTrade` after the fills and exits of the step and before the bars' `onBar`, so a
   * strategy sees the minute's trades, then its candle, and decides at the close like live. The
   * same trades, with `books` (the recorded book per market at the open), fill resting orders.
   */
  step(
    bars: readonly Candle[],
    trades: readonly Trade[] = [],
    books?: ReadonlyMap<Market, OrderbookSnapshot>,
  ): StepSnapshot {
    const first = bars[0];
    if (first === undefined) throw new RangeError('a time step needs at least one bar');
    const now = epochMs(first.openTime + this.tfMs);
    for (const bar of bars) {
      const { fills, rejections } = this.broker.processBar(bar, barTapeOf(bar, this.tfMs, trades, books));
      for (const f of fills) {
        if (f.fill.side === 'ask') this.risk.recordClosedTrade(f.fill.strategy, f.realizedPnl.toNumber());
        this.onFill(f);
      }
      for (const r of rejections) this.count(`exchange:${r.code}`);
      this.marks.set(bar.market, price(decimalFromNumber(bar.close)));
      this.lastBar.set(bar.market, bar);
    }
    const equity = this.broker.equity(this.marks);
    this.risk.markEquity(now, equity);
    for (const bar of bars) this.router.exits(bar, now, this.names);
    const signals = new Map<Market, StrategySignal[]>();
    // Positions and open orders do not change while strategies look at the bars: one exposure book.
    const exposure = exposureBook(this.broker.allPositions(), this.broker.commitments());
    const collect = (emitted: readonly StrategySignal[]): void => {
      for (const sig of emitted) {
        const list = signals.get(sig.market) ?? [];
        list.push(sig);
        signals.set(sig.market, list);
      }
    };
    for (const trade of trades)
      for (const s of this.strategies)
        if (s.onTrade !== undefined && s.markets.includes(trade.market))
          collect(s.onTrade(trade, this.contextFor(s, trade.market, trade.timestamp, exposure)));
    for (const bar of bars)
      for (const s of this.strategies)
        if (s.markets.includes(bar.market))
          collect(s.onBar(bar, this.contextFor(s, bar.market, now, exposure)));
    const decided = new Set<Market>(bars.map((b) => b.market));
    for (const m of signals.keys()) decided.add(m);
    for (const market of [...decided].sort()) {
      const bar = this.lastBar.get(market);
      if (bar !== undefined) this.router.decideAndRoute(bar, now, signals.get(market) ?? [], equity);
    }
    return { at: now, cash: this.broker.cash, equity, holdings: this.holdings() };
  }

  /** Unrealised + realised PnL per strategy at the current marks (fees included), as floats for curves. */
  strategyPnl(): Map<StrategyName | 'operator', number> {
    const out = new Map<StrategyName | 'operator', number>();
    for (const p of this.broker.allPositions()) {
      const mark = this.marks.get(p.market);
      const held = mark === undefined || p.volume.isZero() ? ZERO : p.volume.times(mark).minus(p.cost);
      out.set(p.strategy, (out.get(p.strategy) ?? 0) + p.realizedPnl.plus(held).toNumber());
    }
    return out;
  }

  private count(key: string): void {
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }

  private holdings(): Map<Market, { volume: Decimal; mark: Decimal }> {
    const out = new Map<Market, { volume: Decimal; mark: Decimal }>();
    for (const [market, mark] of this.marks) out.set(market, { volume: this.broker.heldIn(market), mark });
    return out;
  }

  private contextFor(s: Strategy, market: Market, now: EpochMs, book: ExposureBook): StrategyContext {
    const position = this.broker.positionOf(market, s.name, now);
    const used = book.byStrategy.get(s.name) ?? krw(ZERO);
    const available = this.limits.maxStrategyExposure.minus(used);
    const avg = averageEntryPrice(position);
    return {
      now,
      positionVolume: position.volume.toNumber(),
      ...(avg === undefined ? {} : { avgEntryPrice: avg.toNumber() }),
      availableKrw: Math.max(0, available.toNumber()),
    };
  }
}
