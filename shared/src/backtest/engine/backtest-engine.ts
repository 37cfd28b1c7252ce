import { assertEnsembleConfig, type EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import { StrategyEdges } from '../../domain/ensemble/strategy-edges';
import { SeededRandom } from '../../domain/exchange/prng';
import type { Candle, OrderbookSnapshot, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { timeframeMs } from '../../domain/market/timeframe';
import type { Krw } from '../../domain/money/quantities';
import type { DecisionId } from '../../domain/orders/identifiers';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import { shadowSettings } from '../../domain/risk/shadow-ledger';
import { StepSignals } from '../../domain/strategies/step-signals';
import type { Strategy } from '../../domain/strategies/strategy';
import { collectSignals } from '../../domain/strategies/strategy-step';
import { type EpochMs, epochMs } from '../../domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { barTapeOf } from '../broker/book-feed';
import { type BrokerFill, type BrokerRejection, SimulatedBroker } from '../broker/simulated-broker';
import type { StepCloses } from '../result/markouts';
import { type SignalOutcomes, SignalOutcomeTally } from '../result/signal-outcomes';
import type { BacktestInput, StepSnapshot } from './backtest-input';
import { accountFacts, type DecisionObserver, type FillListener } from './decision-step-event';
import { ensembleConfig } from './engine-setup';
import { EngineSnapshot } from './engine-snapshot';
import { ExposureBooks } from './exposure-books';
import { HeldValuation } from './held-valuation';
import { MarkBook } from './mark-book';
import { OrderRouter } from './order-router';
import { RefusalTally } from './refusal-tally';
import { BacktestRiskState } from './risk-state';
import { ShadowQuotes } from './shadow-quotes';
import { signalOutcomesOf, tallySignals } from './signal-tallies';
import { decideStep, type StepDeciders } from './step-decisions';
import { StepMarkets } from './step-markets';
import { StrategyContexts } from './strategy-contexts';
import { type OwnerPnl, StrategyPnl } from './strategy-pnl';
import { createStrategies, resolveStrategyParams, selectedStrategies } from './strategy-registry';
import { TickContexts } from './tick-contexts';

/** The decision step's event and listener types, where the engine's callers look for them. */
export type { DecisionObserver, DecisionStepEvent, FillListener } from './decision-step-event';

/** A step without tape trades (every candle-only run): one frozen list, not a new array per step. */
const NO_TRADES: readonly Trade[] = Object.freeze([]);

/** A bar without fills settles against no decision: one empty set, not one per bar. */
const NO_DECISIONS: ReadonlySet<DecisionId> = new Set();

/** Decisions with at least one fill among `fills` (their cooldown stamps stand, see risk-state). */
function filledDecisions(fills: readonly BrokerFill[]): ReadonlySet<DecisionId> {
  if (fills.length === 0) return NO_DECISIONS;
  const out = new Set<DecisionId>();
  for (let i = 0; i < fills.length; i++) {
    const id = (fills[i] as BrokerFill).decisionId;
    if (id !== undefined) out.add(id);
  }
  return out;
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
  private readonly contexts: StrategyContexts;
  /** The step's one valuation of the holdings, read by the equity and the strategies' PnL. */
  private readonly held: HeldValuation;
  private readonly pnl: StrategyPnl;
  private readonly exposure: ExposureBooks;
  private readonly tfMs: number;
  private readonly ticks: TickContexts;
  /** The step's signals, one object for the run (see StepSignals: valid until the next step). */
  private readonly stepSignals = new StepSignals();
  /** What a multi-market (or observed) step decides through (step-decisions.ts). */
  private readonly deciders: StepDeciders;
  readonly refusals = new Map<string, number>();
  private readonly ensembleConfig: EnsembleConfig;
  private readonly edges: StrategyEdges;
  private readonly outcomes: SignalOutcomeTally;
  private decisionObserver: DecisionObserver | undefined = undefined;
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
    // Object.assign, not a spread: the same object, but a spread of a constant object switches to
    // copying its hidden class on the 9th run in an isolate (V8's clone cache warms up), and that
    // class changed again at the fee stores, throwing away the code of every optimizer worker's
    // first 8 tasks that reads the rules or (engine-setup's ensembleConfig) the ensemble config.
    this.rules =
      input.rules ??
      Object.assign({}, KRW_MARKET_RULES, { makerFee: input.feeRate, takerFee: input.feeRate });
    this.limits = input.risk ?? DEFAULT_RISK_LIMITS;
    this.tfMs = timeframeMs(input.timeframe);
    const rng = new SeededRandom(input.seed);
    this.broker = new SimulatedBroker(input.capital, this.rules, input.slippageBps, () => rng.next());
    this.stepEquity = this.broker.cash;
    this.exposure = new ExposureBooks(this.broker);
    this.contexts = new StrategyContexts(this.broker, this.limits, () => this.exposure.current());
    this.held = new HeldValuation(this.broker, this.marks);
    this.pnl = new StrategyPnl(this.broker, this.marks, this.held, this.names);
    this.ticks = new TickContexts(this.rules);
    // A RefusalTally over the same counts (see RiskEventCounter): what count() does, as a method.
    this.risk = new BacktestRiskState(
      this.limits,
      input.assumeOperatorRelease ?? true,
      new RefusalTally(this.refusals),
    );
    this.ensembleConfig = ensembleConfig(input, this.names);
    // Checked once here: markets without signals skip the pipeline, which would check it per call.
    assertEnsembleConfig(this.ensembleConfig);
    this.edges = new StrategyEdges(
      this.names,
      this.limits.kelly,
      shadowSettings(this.rules, this.limits, this.ensembleConfig),
      new ShadowQuotes(this.ticks),
    );
    this.outcomes = new SignalOutcomeTally(this.names);
    this.router = new OrderRouter(
      this.broker,
      this.risk,
      this.limits,
      this.rules,
      this.ensembleConfig,
      new RefusalTally(this.refusals),
      (strategy) => this.edges.stats(strategy),
      () => this.exposure.current(),
    );
    this.deciders = {
      router: this.router,
      outcomes: this.outcomes,
      marks: this.marks,
      stepMarkets: new StepMarkets(),
      results: [],
    };
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
    // Indexed loops here and below: a `for…of` over the broker's frozen (mostly empty) fill and
    // rejection lists makes an iterator and an iterator result per element on every bar.
    for (let b = 0; b < bars.length; b++) {
      const bar = bars[b] as Candle;
      if (broker.hasPending(bar.market)) {
        const { fills, rejections } = broker.processBar(bar, barTapeOf(bar, this.tfMs, trades, books));
        // Stamps settle only at a bar that ran their orders, and every stamp has a pending order.
        if (this.risk.hasUnsettled) this.risk.settle(bar.market, bar.openTime, filledDecisions(fills));
        for (let i = 0; i < fills.length; i++) {
          const f = fills[i] as BrokerFill;
          // numberOf: toNumber's double (+0 for −0: the gate counts and sums it the same), converted
          // once per fill (the trade tally reads it too).
          if (f.fill.side === 'ask') this.edges.recordTrade(f.fill.strategy, f.realizedNumber, f.fill.at);
          this.onFill(f);
        }
        for (let i = 0; i < rejections.length; i++)
          this.count(`exchange:${(rejections[i] as BrokerRejection).code}`);
      }
      this.edges.onBar(bar);
      this.marks.set(bar);
    }
    const equity = this.held.equity();
    this.stepAt = now;
    // The cash object itself on every bar that holds nothing: stored only when it is another (see
    // HeldValuation.equity on the write barrier).
    if (equity !== this.stepEquity) this.stepEquity = equity;
    this.risk.markEquity(now, equity);
    // Exits only fire for held positions; a market nobody holds has nothing to check.
    if (broker.holdsAny)
      for (let b = 0; b < bars.length; b++) {
        const bar = bars[b] as Candle;
        if (broker.holdsIn(bar.market)) this.router.exits(bar, now, this.names);
      }
    // The run's one StepSignals, refilled: this step's map and lists live until the next step.
    const signals = collectSignals(this.strategies, bars, now, this.contexts, trades, this.stepSignals);
    const observer = this.decisionObserver;
    if (signals.size === 0 && observer === undefined) return;
    if (observer === undefined && bars.length === 1 && signals.size === 1) {
      // One market's bar and signals only for it (every single-market run): the general path below
      // with its one market, without a result map and a market list per signalling bar.
      const market = first.market;
      const list = signals.get(market);
      const bar = this.marks.bar(market);
      if (list !== undefined && bar !== undefined) {
        this.edges.onMarketSignals(market, list);
        tallySignals(this.outcomes, list, this.router.decideAndRoute(bar, now, list, equity, true));
        return;
      }
    }
    // Indexed over the step's signalling markets (edges.onSignals' and a map's order) instead of
    // iterating the map, which would build one.
    for (let i = 0; i < signals.size; i++) this.edges.onMarketSignals(signals.marketAt(i), signals.listAt(i));
    const facts =
      observer === undefined
        ? undefined
        : accountFacts(now, equity, this.risk, this.broker, this.marks, this.names, (n) =>
            this.edges.stats(n),
          );
    decideStep(this.deciders, bars, signals, now, equity, observer, facts);
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

  /**
   * What became of every strategy's signals so far, the ungated (paper) result of each directional
   * strategy and the Kelly gate's closures, for the result's `signalOutcomes`.
   */
  signalOutcomes(capital: number): SignalOutcomes {
    return signalOutcomesOf(this.edges, this.outcomes, capital);
  }

  /**
   * Unrealised + realised PnL per strategy at the current marks (fees included), as floats for
   * curves. Holding nothing, it only changes with the book, so it is kept until the book changes.
   */
  strategyPnl(): ReadonlyMap<StrategyName | 'operator', number> {
    return this.pnl.current();
  }

  /** Moves whenever the map {@link strategyPnl} returns changed (it is one map, updated in place). */
  get strategyPnlVersion(): number {
    return this.pnl.version;
  }

  /** Each owner's PnL by slot, without a map (what the step bookkeeping reads every step). */
  get ownerPnl(): OwnerPnl {
    return this.pnl;
  }

  private count(key: string): void {
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }
}
