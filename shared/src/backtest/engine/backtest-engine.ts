import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import {
  assertEnsembleConfig,
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
} from '../../domain/ensemble/ensemble-config';
import { StrategyEdges } from '../../domain/ensemble/strategy-edges';
import { SeededRandom } from '../../domain/exchange/prng';
import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { roundNumberToTickValue, spreadAroundNumber } from '../../domain/market/tick-rounding';
import { timeframeMs } from '../../domain/market/timeframe';
import { type Decimal, decimalFromNumber, ZERO } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { numberOf, productOf } from '../../domain/money/decimal-units';
import { type Krw, type Price, price, volume } from '../../domain/money/quantities';
import { type DecisionId, parseOrderIdentifier } from '../../domain/orders/identifiers';
import type { TradeStamp } from '../../domain/risk/cooldown';
import { type Commitment, type ExposureBook, exposureBook } from '../../domain/risk/exposure';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import type { LossStatus } from '../../domain/risk/loss-ledger';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import type { ShadowSettings } from '../../domain/risk/shadow-ledger';
import type { Strategy, StrategyContext, StrategySignal } from '../../domain/strategies/strategy';
import {
  type ContextFor,
  collectSignals,
  decidedMarkets,
  soleStrategy,
  strategyContext,
} from '../../domain/strategies/strategy-step';
import { type EpochMs, epochMs } from '../../domain/time/epoch';
import type { TradingState } from '../../domain/trading/emergency';
import type { Position } from '../../domain/trading/position';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { barTapeOf } from '../broker/book-feed';
import { type BrokerFill, SimulatedBroker } from '../broker/simulated-broker';
import type { StepCloses } from '../result/markouts';
import { type SignalOutcomes, SignalOutcomeTally, type UngatedSignalResult } from '../result/signal-outcomes';
import type { BacktestInput, StepSnapshot } from './backtest-input';
import { MarkBook } from './mark-book';
import { OrderRouter } from './order-router';
import { BacktestRiskState } from './risk-state';
import { createStrategies, resolveStrategyParams, selectedStrategies } from './strategy-registry';
import { TickContexts } from './tick-contexts';

/** A step without tape trades (every candle-only run): one frozen list, not a new array per step. */
const NO_TRADES: readonly Trade[] = Object.freeze([]);

/**
 * One decision step as the engine saw it: the account facts the decisions were taken against (before
 * the step's first decision), the step's bars and signals, and the pipeline's result per market.
 */
export interface DecisionStepEvent {
  readonly at: EpochMs;
  readonly equity: Krw;
  readonly state: TradingState;
  readonly lossStatus?: LossStatus;
  readonly positions: readonly Position[];
  readonly commitments: readonly Commitment[];
  readonly recentTrades: readonly TradeStamp[];
  readonly lastBars: ReadonlyMap<Market, Candle>;
  readonly stats: ReadonlyMap<StrategyName, TradeOutcomeStats>;
  readonly bars: readonly Candle[];
  readonly signals: ReadonlyMap<Market, readonly StrategySignal[]>;
  readonly results: ReadonlyMap<Market, PipelineResult>;
}

/** A strategy's context for one market, kept while the broker's book version stays the same. */
interface ContextSlot {
  readonly strategy: StrategyName;
  readonly market: Market;
  /** NaN until the first context is made. */
  version: number;
  ctx: StrategyContext;
  /** The position and the strategy's used exposure `ctx` was made from. */
  position: Position | undefined;
  used: Krw | undefined;
}

/** Receives every decision step (see {@link DecisionStepEvent}). */
export type DecisionObserver = (event: DecisionStepEvent) => void;

/** Receives every fill in time order with the strategy that owns it (for results and reports). */
export type FillListener = (fill: BrokerFill) => void;

/** The shadow ledgers trade like a lone signal of the ensemble, with the live exits and fees. */
/** Decisions with at least one fill among `fills` (their cooldown stamps stand, see risk-state). */
function filledDecisions(fills: readonly BrokerFill[]): Set<DecisionId> {
  const out = new Set<DecisionId>();
  for (const f of fills) {
    const id = parseOrderIdentifier(f.fill.identifier)?.decisionId;
    if (id !== undefined) out.add(id);
  }
  return out;
}

function shadowSettings(rules: MarketRules, limits: RiskLimits, ensemble: EnsembleConfig): ShadowSettings {
  return {
    takerFee: rules.takerFee.toNumber(),
    stopLoss: limits.stopLoss.toNumber(),
    takeProfit: limits.takeProfit.toNumber(),
    minScore: ensemble.minScore,
    perTradeCapKrw: ensemble.perTradeCapKrw,
    minTotal: rules.minTotal.toNumber(),
  };
}

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
  private readonly marks = new MarkBook();
  private readonly contexts = new Map<StrategyName, Map<Market, ContextSlot>>();
  private exposure: { readonly version: number; readonly book: ExposureBook } | undefined;
  private pnl:
    | { readonly version: number; readonly map: ReadonlyMap<StrategyName | 'operator', number> }
    | undefined;
  private readonly tfMs: number;
  private readonly ticks: TickContexts;
  readonly refusals = new Map<string, number>();
  private readonly ensembleConfig: EnsembleConfig;
  private readonly edges: StrategyEdges;
  private readonly outcomes: SignalOutcomeTally;
  private decisionObserver: DecisionObserver | undefined;
  private stepAt = 0 as EpochMs;
  private stepEquity: Krw;

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
    this.stepEquity = this.broker.cash;
    this.ticks = new TickContexts(this.rules);
    this.risk = new BacktestRiskState(this.limits, input.assumeOperatorRelease ?? true, (key) =>
      this.count(key),
    );
    this.ensembleConfig = ensembleConfig(input, this.names);
    // Checked once here: markets without signals skip the pipeline, which would check it per call.
    assertEnsembleConfig(this.ensembleConfig);
    this.edges = new StrategyEdges(
      this.names,
      this.limits.kelly,
      shadowSettings(this.rules, this.limits, this.ensembleConfig),
      // quoteNumbersAround(traded, market, at, rules), with the tick context kept between tables;
      // its bid alone (spreadAroundNumber's bid) for the marks of held paper positions.
      Object.assign(
        (traded: number, market: Market, at: number) => spreadAroundNumber(traded, this.ticks.at(market, at)),
        {
          bid: (traded: number, market: Market, at: number) =>
            roundNumberToTickValue(traded, 'down', this.ticks.at(market, at)),
        },
      ),
    );
    this.outcomes = new SignalOutcomeTally(this.names);
    this.router = new OrderRouter(
      this.broker,
      this.risk,
      this.limits,
      this.rules,
      this.ensembleConfig,
      (key) => this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1),
      (strategy) => this.edges.stats(strategy),
      () => this.exposureBook(),
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
    trades: readonly Trade[] = NO_TRADES,
    books?: ReadonlyMap<Market, OrderbookSnapshot>,
  ): StepSnapshot {
    this.advance(bars, trades, books);
    return this.snapshot(this.stepAt, this.stepEquity);
  }

  /** Close time of the latest step (a step's snapshot `at`). */
  get lastStepAt(): EpochMs {
    return this.stepAt;
  }

  /** Equity at the latest step's close (a step's snapshot `equity`). */
  get lastStepEquity(): Krw {
    return this.stepEquity;
  }

  /**
   * {@link step} without building its snapshot: a run that hands no snapshot to anyone reads
   * {@link lastStepAt} and {@link lastStepEquity} instead, and saves an object and a copy of the
   * closes per bar.
   */
  advance(
    bars: readonly Candle[],
    trades: readonly Trade[] = NO_TRADES,
    books?: ReadonlyMap<Market, OrderbookSnapshot>,
  ): void {
    const first = bars[0];
    if (first === undefined) throw new RangeError('a time step needs at least one bar');
    const now = epochMs(first.openTime + this.tfMs);
    const broker = this.broker;
    for (const bar of bars) {
      if (broker.hasPending(bar.market)) {
        const { fills, rejections } = broker.processBar(bar, barTapeOf(bar, this.tfMs, trades, books));
        // Stamps settle only at a bar that ran their orders, and every stamp has a pending order.
        if (this.risk.hasUnsettled) this.risk.settle(bar.market, bar.openTime, filledDecisions(fills));
        for (const f of fills) {
          // numberOf: toNumber's double (+0 for −0: the gate counts and sums it the same).
          if (f.fill.side === 'ask')
            this.edges.recordTrade(f.fill.strategy, numberOf(f.realizedPnl), f.fill.at);
          this.onFill(f);
        }
        for (const r of rejections) this.count(`exchange:${r.code}`);
      }
      this.edges.onBar(bar);
      this.marks.set(bar);
    }
    const equity = broker.equity(this.markOf);
    this.stepAt = now;
    this.stepEquity = equity;
    this.risk.markEquity(now, equity);
    // Exits only fire for held positions; a market nobody holds has nothing to check.
    if (broker.holdsAny)
      for (const bar of bars) if (broker.holdsIn(bar.market)) this.router.exits(bar, now, this.names);
    const signals = collectSignals(this.strategies, bars, now, this.contextFor, trades);
    const observer = this.decisionObserver;
    if (signals.size === 0 && observer === undefined) return;
    this.edges.onSignals(signals);
    if (observer === undefined && bars.length === 1 && signals.size === 1) {
      // One market's bar and signals only for it (every single-market run): the general path below
      // with its one market, without a result map, a set and a sorted list per signalling bar.
      const market = first.market;
      const list = signals.get(market);
      const bar = this.marks.bar(market);
      if (list !== undefined && bar !== undefined) {
        this.tally(list, this.router.decideAndRoute(bar, now, list, equity));
        return;
      }
    }
    const facts = observer === undefined ? undefined : this.accountFacts(now, equity);
    const results = new Map<Market, PipelineResult>();
    for (const market of decidedMarkets(bars, signals)) {
      const bar = this.marks.bar(market);
      if (bar !== undefined)
        results.set(market, this.router.decideAndRoute(bar, now, signals.get(market) ?? [], equity));
    }
    for (const [market, list] of signals) this.tally(list, results.get(market));
    if (observer !== undefined && facts !== undefined) observer({ ...facts, bars, signals, results });
  }

  private snapshot(at: EpochMs, equity: Krw): StepSnapshot {
    return new EngineSnapshot(
      at,
      this.broker.cash,
      equity,
      this.broker.allPositions(),
      this.marks.marketList(),
      this.marks.closeList(),
    );
  }

  private readonly markOf = (market: Market): Price | undefined => this.marks.price(market);

  /**
   * A strategy's context (strategy-step's `strategyContext`) for a market, reused while the book
   * has not changed: positions and open orders stay put while strategies look at the bars, and
   * most bars change neither, so the exact exposure and entry price are derived once per change
   * instead of once per strategy and bar.
   */
  private readonly contextFor: ContextFor = (s, market, at) => {
    const version = this.broker.version;
    // The slot asked for last (every call of a single strategy on one market) without two lookups.
    const recent = this.recentContext;
    let hit: ContextSlot | undefined;
    if (recent !== undefined && recent.strategy === s.name && recent.market === market) hit = recent;
    else {
      let byMarket = this.contexts.get(s.name);
      if (byMarket === undefined) {
        byMarket = new Map();
        this.contexts.set(s.name, byMarket);
      }
      hit = byMarket.get(market);
      if (hit === undefined) {
        hit = {
          strategy: s.name,
          market,
          version: Number.NaN,
          ctx: undefined as unknown as StrategyContext,
          position: undefined,
          used: undefined,
        };
        byMarket.set(market, hit);
      }
      this.recentContext = hit;
    }
    if (hit.version === version) {
      // The same facts at a later time: the slot's object moves to `at` instead of being copied
      // (an object per strategy and bar). Strategies read their context while they look at the
      // bar and keep none of it (signals copy what they need), so no earlier reader sees the move.
      const c = hit.ctx as { now: EpochMs };
      c.now = at;
      return hit.ctx;
    }
    // The book changed, but maybe not for this strategy here (market making re-quotes every bar,
    // other strategies' orders move): the same position object and the same used-exposure object
    // give the same context, moved to `at` as above.
    const position = this.broker.positionOf(market, s.name, at);
    const book = this.exposureBook();
    const used = book.byStrategy.get(s.name);
    hit.version = version;
    if (position === hit.position && used === hit.used && hit.ctx !== undefined) {
      const c = hit.ctx as { now: EpochMs };
      c.now = at;
      return hit.ctx;
    }
    const ctx = strategyContext(position, book, this.limits, s.name, at);
    hit.ctx = ctx;
    hit.position = position;
    hit.used = used;
    return ctx;
  };

  private recentContext: ContextSlot | undefined;

  private exposureBook(): ExposureBook {
    const version = this.broker.version;
    if (this.exposure === undefined || this.exposure.version !== version)
      this.exposure = {
        version,
        book: exposureBook(this.broker.allPositions(), this.broker.commitments()),
      };
    return this.exposure.book;
  }

  /** Each market's last close and the one before the latest step (for mark-outs). */
  get closes(): StepCloses {
    return this.marks;
  }

  /** Observes every decision step with the account facts it decided on (parity tests, research). */
  observeDecisions(observer: DecisionObserver): void {
    this.decisionObserver = observer;
  }

  /** The ensemble configuration of this run (weights and the selected strategies). */
  get ensemble(): EnsembleConfig {
    return this.ensembleConfig;
  }

  private accountFacts(now: EpochMs, equity: Krw): Omit<DecisionStepEvent, 'bars' | 'signals' | 'results'> {
    const status = this.risk.lossStatus;
    return {
      at: now,
      equity,
      state: this.risk.state,
      ...(status === undefined ? {} : { lossStatus: status }),
      positions: this.broker.allPositions(),
      commitments: this.broker.commitments(),
      recentTrades: [...this.risk.recentTrades],
      lastBars: this.marks.bars(),
      stats: new Map(this.names.map((n) => [n, this.edges.stats(n)])),
    };
  }

  /**
   * What became of every strategy's signals so far, the ungated (paper) result of each directional
   * strategy and the Kelly gate's closures, for the result's `signalOutcomes`.
   */
  signalOutcomes(capital: number): SignalOutcomes {
    const ungated = new Map<StrategyName, UngatedSignalResult>();
    for (const [name, r] of this.edges.shadowResults())
      ungated.set(name, {
        trades: r.trades,
        winRatePct: r.trades === 0 ? null : Math.round((r.wins / r.trades) * 1e6) / 1e4,
        netPnlKrw: Math.round(r.netPnlKrw * 100) / 100,
        returnPct: capital > 0 ? Math.round((r.netPnlKrw / capital) * 1e8) / 1e6 : 0,
        openAtEnd: r.openAtEnd,
      });
    return this.outcomes.build(ungated, this.edges.gatePeriods());
  }

  private tally(signals: readonly StrategySignal[], result: PipelineResult | undefined): void {
    const only = soleStrategy(signals);
    if (only !== undefined) {
      // One strategy's signals (every single-strategy run): no count map per signalling bar.
      this.outcomes.record(
        only,
        result?.fates.get(only)?.fate ?? { kind: 'held', reason: 'no_bar' },
        signals.length,
      );
      return;
    }
    const counts = new Map<StrategyName, number>();
    for (const s of signals) counts.set(s.strategy, (counts.get(s.strategy) ?? 0) + 1);
    for (const [strategy, count] of counts)
      this.outcomes.record(
        strategy,
        result?.fates.get(strategy)?.fate ?? { kind: 'held', reason: 'no_bar' },
        count,
      );
  }

  /**
   * Unrealised + realised PnL per strategy at the current marks (fees included), as floats for
   * curves. Holding nothing, it only changes with the book, so it is kept until the book changes.
   */
  strategyPnl(): ReadonlyMap<StrategyName | 'operator', number> {
    const version = this.broker.version;
    if (this.pnl !== undefined && this.pnl.version === version && !this.broker.holdsAny) return this.pnl.map;
    const positions = this.broker.allPositions();
    // Each position's PnL double, kept while the position object (immutable) and its mark object
    // stay, per index: a fill replaces one position object in a new list, and the others (flat
    // ones, other strategies') are not valued again; a close that did not move values nothing.
    const parts = this.pnlParts;
    if (parts.values.length > positions.length) {
      parts.positions.length = positions.length;
      parts.marks.length = positions.length;
      parts.values.length = positions.length;
    }
    const out = new Map<StrategyName | 'operator', number>();
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      const mark = p.volume.isZero() ? undefined : this.marks.price(p.market);
      let value = parts.values[i];
      if (value === undefined || parts.positions[i] !== p || parts.marks[i] !== mark) {
        // The same decimals and double as times/minus/plus/toNumber, without decimal.js when exact
        // (every bar while something is held).
        const held = mark === undefined ? ZERO : differenceOf(productOf(p.volume, mark), p.cost);
        value = numberOf(sumOf(p.realizedPnl, held));
        parts.positions[i] = p;
        parts.values[i] = value;
        parts.marks[i] = mark;
      }
      out.set(p.strategy, (out.get(p.strategy) ?? 0) + value);
    }
    this.pnl = { version, map: out };
    return out;
  }

  private readonly pnlParts: {
    positions: Position[];
    marks: (Price | undefined)[];
    values: number[];
  } = { positions: [], marks: [], values: [] };

  private count(key: string): void {
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }
}

type Holdings = ReadonlyMap<Market, { readonly volume: Decimal; readonly mark: Decimal }>;

/**
 * A step's snapshot. `holdings` (held volume and last close of every market seen so far) is built
 * on first read from what the step captured: most steps' snapshots are only asked for their equity,
 * and exact holdings per market and step would cost more than the step itself. The positions list
 * is the broker's immutable one of that step and the closes are copied, so a snapshot kept and read
 * later still shows its own step.
 */
class EngineSnapshot implements StepSnapshot {
  private held: Holdings | undefined;

  constructor(
    readonly at: number,
    readonly cash: Krw,
    readonly equity: Krw,
    private readonly positions: readonly Position[],
    private readonly markets: readonly Market[],
    private readonly closes: readonly number[],
  ) {}

  get holdings(): Holdings {
    if (this.held === undefined) {
      const out = new Map<Market, { volume: Decimal; mark: Decimal }>();
      this.markets.forEach((market, i) => {
        let held: Decimal = ZERO;
        for (const p of this.positions) if (p.market === market) held = held.plus(p.volume);
        out.set(market, { volume: volume(held), mark: price(decimalFromNumber(this.closes[i] as number)) });
      });
      this.held = out;
    }
    return this.held;
  }
}
