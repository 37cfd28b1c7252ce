import {
  NO_SIGNALS,
  type PipelineAccount,
  type PipelineResult,
  type QuoteLayerFacts,
  refusalKey,
  runDecisionPipeline,
} from '../../domain/ensemble/decision-pipeline';
import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import { draftOfPlanned } from '../../domain/ensemble/order-plan';
import type { SyntheticQuotes } from '../../domain/ensemble/synthetic-book';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { ZERO } from '../../domain/money/decimal';
import { decimalGt, decimalLt } from '../../domain/money/decimal-compare';
import { approximately, numberOf, productOf } from '../../domain/money/decimal-units';
import type { Krw, Price } from '../../domain/money/quantities';
import { type DecisionId, makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { ACCEPTED, type ValidationResult } from '../../domain/orders/order-rejection';
import { orderStamp } from '../../domain/risk/cooldown';
import { exitKind } from '../../domain/risk/exit-triggers';
import { type ExposureBook, sellableVolume } from '../../domain/risk/exposure';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import { checkOrder } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { StrategySignal } from '../../domain/strategies/strategy';
import { soleStrategy } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import { StrategyName } from '../../domain/trading/strategy-name';
import type { SimOrderSpec } from '../broker/sim-order';
import type { SimulatedBroker } from '../broker/simulated-broker';
import { allAccepted } from './all-accepted';
import { ExitGates } from './exit-gates';
import { exitReturnPercent } from './exit-reason';
import { RouterContexts } from './order-router-context';
import type { BacktestRiskState } from './risk-state';
import { RouterInput } from './router-input';

// What the cooldown reads of a quote layer's order (its side and time in force).
const POST_ONLY_BID = { side: 'bid', timeInForce: 'post_only' } as const;
const POST_ONLY_ASK = { side: 'ask', timeInForce: 'post_only' } as const;

/** Counts why orders did not go out, by `risk:<code>` or `exchange:<code>` (an object: see RefusalTally). */
export interface RefusalCounter {
  count(key: string): void;
}

/**
 * Turns one market's signals into simulated orders through the live path, the decision pipeline the
 * minute analysis runs too (ensemble `decide`, `evaluateDecisionRisk`, the order plan), then the
 * broker's exchange validation. Also fires the position exits (stop-loss / take-profit, net of fees)
 * before any new decision.
 */
export class OrderRouter {
  constructor(
    private readonly broker: SimulatedBroker,
    private readonly risk: BacktestRiskState,
    private readonly limits: RiskLimits,
    private readonly rules: MarketRules,
    private readonly ensemble: EnsembleConfig,
    private readonly refuse: RefusalCounter,
    private readonly statsOf: (strategy: StrategyName | 'operator') => TradeOutcomeStats,
    /** The broker's exposure book as it is now (kept by the engine until the book changes). */
    exposureOf: () => ExposureBook,
  ) {
    this.contexts = new RouterContexts(broker, risk, limits, rules, exposureOf);
  }

  /** The bar's quotes, market view and risk context (made once per bar and market). */
  private readonly contexts: RouterContexts;

  /** The ensemble configuration the router decides with. */
  get config(): EnsembleConfig {
    return this.ensemble;
  }

  /** The market rules the router decides with. */
  get marketRules(): MarketRules {
    return this.rules;
  }

  /** Each position's bid bounds where its exit check has nothing to do (made on first use). */
  private exitGates: ExitGates | undefined = undefined;

  /** Sells every position of the market whose stop-loss or take-profit fired, at market. */
  exits(bar: Candle, now: EpochMs, strategies: readonly StrategyName[]): void {
    const q = this.contexts.quotesAt(bar, now);
    this.exitGates ??= new ExitGates(this.rules.takerFee, this.limits, this.rules.minTotal);
    const market = this.exitGates.market(bar.market);
    const gates = market.gates;
    // The bid's won is its decimal's `approximately` (a safe integer: exact), with no decimal read.
    const bid = Number.isNaN(q.bidWon) ? approximately(q.bid) : q.bidWon;
    // The same positions as a scan that found them all quiet, at a bid inside all of it: nothing to do.
    const positions = this.broker.allPositions();
    if (this.exitGates.skips(market, positions, strategies, bid)) return;
    this.exitGates.begin();
    for (let i = 0; i < strategies.length; i++) {
      const strategy = strategies[i] as StrategyName;
      // A strategy that never held the market has a flat position, which never fires.
      const position = this.broker.findPosition(bar.market, strategy);
      if (position === undefined) continue;
      // Most bars the bid is inside the position's thresholds, or the holding is dust: nothing to
      // check (see ExitGates, exact by exitKind's contract).
      if (this.exitGates.quiet(gates, i, position, bid)) continue;
      // The kind alone: the exact net return is made only for an exit that is sent (dust below the
      // minimum fires on every bar and is skipped below).
      const kind = exitKind(position, q.bid, this.rules.takerFee, this.limits);
      if (kind === undefined) continue;
      const ctx = this.contexts.riskContext(bar, now);
      const sellable = sellableVolume(ctx.positions, ctx.commitments, bar.market, strategy);
      // Dust below Upbit's minimum cannot be sold at all; retrying it every bar would only add noise.
      // (decimalGt / productOf / decimalLt: gt, times and lt without decimal.js's copy of the
      // operand it compares with, on every bar a dust holding fires.)
      if (!decimalGt(sellable, ZERO) || decimalLt(productOf(sellable, q.bid), this.rules.minTotal)) continue;
      const decisionId = makeDecisionId(kind === 'stop_loss' ? 'sl' : 'tp', bar.market, now);
      const spec: SimOrderSpec = { kind: 'market_sell', volume: sellable };
      const draft = {
        market: bar.market,
        side: 'ask' as const,
        ordType: 'market' as const,
        volume: sellable,
      };
      const check = checkOrder({ draft, strategy, decisionId }, ctx);
      if (!check.ok) {
        this.refuse.count(refusalKey(check.refusal));
        continue;
      }
      const reason = `${kind} net ${exitReturnPercent(position, q.bid, this.rules.takerFee)} %`;
      const rejected = this.send(bar.market, strategy, decisionId, 0, spec, reason, now, q.bid);
      if (rejected !== undefined) this.refuse.count(rejected);
    }
    this.exitGates.end(market, positions, strategies);
  }

  /**
   * Runs the shared decision pipeline (ensemble, risk, order plan) for one market and places what it
   * approves. `fateOnly`: the caller reads only each strategy's fate of the result (no observer), so
   * a refused buy's result may carry no decision id (see PipelineInput.fateOnly).
   */
  decideAndRoute(
    bar: Candle,
    now: EpochMs,
    signals: readonly StrategySignal[],
    equity: Krw,
    fateOnly = false,
  ): PipelineResult {
    // Without signals the pipeline decides nothing: skip the bar's quotes too.
    if (signals.length === 0) return NO_SIGNALS;
    this.decidingBar = bar;
    this.decidingAt = now;
    // A lone directional strategy's signals may end on the no-order path, which reads no market
    // view: its context makes the view on first read. Otherwise (market making reads it for every
    // quote layer) the view is a plain property.
    const sole = soleStrategy(signals);
    this.lazyView = sole !== undefined && sole !== StrategyName.marketMaking;
    const result = runDecisionPipeline(
      new RouterInput(this, bar, now, signals, equity, fateOnly),
      this.account,
    );
    // Indexed: the refusals are often a shared frozen empty list, whose for-of V8 runs through an
    // iterator result object per bar.
    const refusals = result.refusals;
    for (let i = 0; i < refusals.length; i++) this.refuse.count(refusals[i] as string);
    return result;
  }

  // The bar being decided and its instant, for the callbacks below (made once: tsx names every
  // closure it creates, which costs more per call than most of what they do). Two fields rather
  // than a record per decided bar.
  private decidingBar: Candle | undefined = undefined;
  private decidingAt = 0 as EpochMs;
  private lazyView = false;

  private currentBar(): Candle {
    if (this.decidingBar === undefined) throw new Error('no market is being decided');
    return this.decidingBar;
  }
  /** The bar's synthetic quotes at `now` (made once per bar, on the first ask). */
  quotesAt(bar: Candle, now: EpochMs): SyntheticQuotes {
    return this.contexts.quotesAt(bar, now);
  }

  readonly holdings = (strategy: StrategyName): number => {
    const bar = this.currentBar();
    const held = this.broker.findPosition(bar.market, strategy)?.volume;
    if (held === undefined) return 0;
    return numberOf(held);
  };

  private readonly account: PipelineAccount = {
    riskContext: () => {
      const bar = this.currentBar();
      return this.contexts.riskContext(bar, this.decidingAt, this.lazyView);
    },
    stats: (strategy) => this.statsOf(strategy),
    ladderBooks: (ctx) => this.contexts.ladderBooks(ctx),
    place: (decision, orders) => {
      const bar = this.currentBar();
      const now = this.decidingAt;
      const bid = this.contexts.quotesAt(bar, now).bid;
      return orders.map((o) =>
        this.send(decision.market, decision.strategy, decision.id, o.leg, o.spec, o.reason, now, bid),
      );
    },
    placeQuotes: (decision, _ctx, facts) => {
      this.currentBar();
      const now = this.decidingAt;
      const intent = decision.intent;
      if (intent.kind !== 'quotes')
        throw new Error(`placeQuotes needs a quotes decision, got ${intent.kind}`);
      const columns = facts?.columns;
      if (columns !== undefined) {
        // Whole-won levels as integers (see QuoteLayerFacts.columns), the whole ladder placed in
        // one call: no level decimal is read. The verdicts are listed from the first refusal on
        // (most ladders place every layer); the cooldown stamps, which the broker never reads,
        // follow in leg order.
        const results = this.broker.placeQuoteLadder(decision, columns, now, facts as QuoteLayerFacts);
        if (results === undefined && decision.strategy === StrategyName.marketMaking)
          return allAccepted(columns.count);
        let out: (string | undefined)[] | undefined;
        for (let leg = 0; leg < columns.count; leg++) {
          const side = leg < columns.bids ? 'bid' : 'ask';
          const refused = this.stamped(results?.[leg] ?? ACCEPTED, decision, side, now);
          if (refused !== undefined) {
            out ??= new Array<string | undefined>(columns.count).fill(undefined);
            out[leg] = refused;
          }
        }
        return out ?? allAccepted(columns.count);
      }
      const levels = intent.levels;
      const out: (string | undefined)[] = new Array(levels.length);
      for (let leg = 0; leg < levels.length; leg++)
        out[leg] = this.sendQuote(decision, leg, levels[leg] as QuoteLevel, now, facts);
      return out;
    },
  };

  /**
   * Places leg `leg` of a quotes decision as the plan's post-only limit order (see
   * SimulatedBroker.placeQuote: its texts are made when read), stamping the cooldown as `send` does.
   */
  private sendQuote(
    decision: Decision,
    leg: number,
    level: QuoteLevel,
    now: EpochMs,
    facts: QuoteLayerFacts | undefined,
  ): string | undefined {
    return this.stamped(this.broker.placeQuote(decision, leg, level, now, facts), decision, level.side, now);
  }

  /** A quote layer's placement verdict as a refusal key, stamping the cooldown as `send` does. */
  private stamped(
    result: ValidationResult,
    decision: Decision,
    side: QuoteLevel['side'],
    now: EpochMs,
  ): string | undefined {
    if (!result.ok) return `exchange:${result.rejection.code}`;
    // Market making's quotes never stamp the cooldown (isMarketMakingQuote): no question to ask.
    if (decision.strategy === StrategyName.marketMaking) return undefined;
    const stamp = orderStamp(decision.market, decision.id, now, {
      strategy: decision.strategy,
      draft: side === 'bid' ? POST_ONLY_BID : POST_ONLY_ASK,
    });
    if (stamp !== undefined) this.risk.stamp(stamp);
    return undefined;
  }

  /** Places one order (stamping the cooldown for a risk-adding one); returns the exchange's refusal key when the broker refused it. */
  private send(
    market: Market,
    strategy: StrategyName | 'operator',
    decisionId: DecisionId,
    leg: number,
    spec: SimOrderSpec,
    reason: string,
    now: EpochMs,
    referencePrice: Price,
  ): string | undefined {
    const identifier = orderIdentifier(decisionId, leg);
    const draft = draftOfPlanned(market, spec);
    const result = this.broker.place(
      { identifier, market, strategy, spec, reason, decisionId },
      now,
      referencePrice,
      draft,
    );
    if (!result.ok) return `exchange:${result.rejection.code}`;
    // Decisions are taken at the bar close (`now`), so `now` is the decision time the stamp carries.
    const stamp = orderStamp(market, decisionId, now, { strategy, draft });
    if (stamp !== undefined) this.risk.stamp(stamp);
    return undefined;
  }
}
