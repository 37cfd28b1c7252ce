import { decide } from '../../domain/ensemble/ensemble';
import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { roundToTick } from '../../domain/market/tick-rounding';
import { decimalFromNumber, minDecimal } from '../../domain/money/decimal';
import {
  type Krw,
  type Price,
  price,
  type Volume,
  volume,
  volumeForBudget,
} from '../../domain/money/quantities';
import { type DecisionId, makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { evaluateDecisionRisk } from '../../domain/risk/decision-risk';
import { exitTrigger } from '../../domain/risk/exit-triggers';
import { sellableVolume } from '../../domain/risk/exposure';
import type { MarketView } from '../../domain/risk/fat-finger';
import { checkOrder, type RiskContext, type RiskRefusal } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SimOrderSpec } from '../broker/sim-order';
import type { SimulatedBroker } from '../broker/simulated-broker';
import type { BacktestRiskState } from './risk-state';
import { quotesAround, type SyntheticQuotes, syntheticBook } from './synthetic-book';

interface BarQuotes {
  readonly now: EpochMs;
  readonly q: SyntheticQuotes;
  view?: MarketView;
}

/** Counts why orders did not go out, by `risk:<code>` or `exchange:<code>`. */
export type RefusalCounter = (key: string) => void;

/**
 * Turns one market's signals into simulated orders through the live path: ensemble `decide`, then
 * `evaluateDecisionRisk` (Kelly sizing and every hard limit), then the broker's exchange validation.
 * Also fires the position exits (stop-loss / take-profit, net of fees) before any new decision.
 */
export class OrderRouter {
  constructor(
    private readonly broker: SimulatedBroker,
    private readonly risk: BacktestRiskState,
    private readonly limits: RiskLimits,
    private readonly rules: MarketRules,
    private readonly ensemble: EnsembleConfig,
    private readonly refuse: RefusalCounter,
  ) {}

  // Synthetic quotes and the risk engine's market view at a bar's close, computed once per bar
  // (exits, decisions and risk all need them).
  private readonly quoteCache = new WeakMap<Candle, BarQuotes>();

  private closeQuotes(bar: Candle, now: EpochMs): SyntheticQuotes {
    return this.cached(bar, now).q;
  }

  private cached(bar: Candle, now: EpochMs): BarQuotes {
    const hit = this.quoteCache.get(bar);
    if (hit !== undefined && hit.now === now) return hit;
    // The tick table is chosen by time, so a bar reused at a later step is quoted again.
    const entry: BarQuotes = { now, q: quotesAround(bar.close, bar.market, now, this.rules) };
    this.quoteCache.set(bar, entry);
    return entry;
  }

  private marketView(bar: Candle, now: EpochMs): MarketView {
    const entry = this.cached(bar, now);
    entry.view ??= {
      lastTradePrice: price(decimalFromNumber(bar.close)),
      book: syntheticBook(bar, now, this.rules, entry.q),
    };
    return entry.view;
  }

  /** The risk engine's view at `now`, with a one-level synthetic book built from the market's last bar. */
  riskContext(bar: Candle, now: EpochMs): RiskContext {
    const status = this.risk.lossStatus;
    return {
      now,
      limits: this.limits,
      rules: this.rules,
      state: this.risk.state,
      ...(status === undefined ? {} : { lossStatus: status }),
      positions: this.broker.allPositions(),
      commitments: this.broker.commitments(),
      recentTrades: this.risk.recentTrades,
      market: this.marketView(bar, now),
    };
  }

  /** Sells every position of the market whose stop-loss or take-profit fired, at market. */
  exits(bar: Candle, now: EpochMs, strategies: readonly StrategyName[]): void {
    const q = this.closeQuotes(bar, now);
    for (const strategy of strategies) {
      const position = this.broker.positionOf(bar.market, strategy, now);
      const signal = exitTrigger(position, q.bid, this.rules.takerFee, this.limits);
      if (signal === undefined) continue;
      const ctx = this.riskContext(bar, now);
      const sellable = sellableVolume(ctx.positions, ctx.commitments, bar.market, strategy);
      // Dust below Upbit's minimum cannot be sold at all; retrying it every bar would only add noise.
      if (!sellable.gt(0) || sellable.times(q.bid).lt(this.rules.minTotal)) continue;
      const decisionId = makeDecisionId(signal.kind === 'stop_loss' ? 'sl' : 'tp', bar.market, now);
      const spec: SimOrderSpec = { kind: 'market_sell', volume: sellable };
      const draft = {
        market: bar.market,
        side: 'ask' as const,
        ordType: 'market' as const,
        volume: sellable,
      };
      const check = checkOrder({ draft, strategy, decisionId }, ctx);
      if (!check.ok) {
        this.refuse(refusalKey(check.refusal));
        continue;
      }
      const reason = `${signal.kind} net ${signal.netReturn.times(100).toFixed(3)} %`;
      this.send(bar.market, strategy, decisionId, 0, spec, reason, now, q.bid);
    }
  }

  /** Runs the ensemble and risk for one market and places what they approve. */
  decideAndRoute(bar: Candle, now: EpochMs, signals: readonly StrategySignal[], equity: Krw): void {
    const q = this.closeQuotes(bar, now);
    const decisions = decide({
      market: bar.market,
      now,
      signals,
      config: this.ensemble,
      rules: this.rules,
      heldVolume: this.broker.heldIn(bar.market).toNumber(),
      book: { bestBid: q.bid.toNumber(), bestAsk: q.ask.toNumber() },
    });
    for (const decision of decisions) {
      if (decision.intent.kind === 'hold' || decision.intent.kind === 'flatten') continue;
      const ctx = this.riskContext(bar, now);
      const approved = evaluateDecisionRisk(decision, ctx, {
        equity,
        stats: this.risk.statsFor(decision.strategy),
      });
      if (!approved.ok) {
        this.refuse(refusalKey(approved.refusal));
        continue;
      }
      for (const d of approved.dropped) this.refuse(refusalKey(d.refusal));
      this.route(approved.decision, ctx, q, now);
    }
  }

  private route(decision: Decision, ctx: RiskContext, q: SyntheticQuotes, now: EpochMs): void {
    const { bid, ask, ticks } = q;
    const intent = decision.intent;
    const { market, strategy, id } = decision;
    const owner = strategy as StrategyName;
    const reason = reasonOf(decision);
    if (intent.kind === 'quotes') {
      intent.levels.forEach((level, i) => {
        const spec: SimOrderSpec = {
          kind: 'limit',
          side: level.side,
          price: level.price,
          volume: level.volume,
          postOnly: true,
        };
        this.send(market, owner, id, i, spec, `quote ${level.side} L${i}: ${reason}`, now, bid);
      });
      return;
    }
    if (intent.kind !== 'directional') return;
    const passive = intent.urgency === 'passive';
    if (intent.side === 'bid') {
      const limit = roundToTick(intent.limitPrice ?? bid, 'bid', ticks);
      const spec: SimOrderSpec = passive
        ? {
            kind: 'limit',
            side: 'bid',
            price: limit,
            volume: volumeForBudget(intent.notional, limit),
            postOnly: true,
          }
        : { kind: 'market_buy', amount: intent.notional };
      this.send(market, owner, id, 0, spec, reason, now, bid);
      return;
    }
    const sellable = sellableVolume(ctx.positions, ctx.commitments, market, strategy);
    let size: Volume = volume(minDecimal(volumeForBudget(intent.notional, bid), sellable));
    // Never leave a remainder too small to sell later (Upbit refuses orders under the minimum).
    if (sellable.minus(size).times(bid).lt(this.rules.minTotal)) size = sellable;
    const limit = roundToTick(intent.limitPrice ?? ask, 'ask', ticks);
    const spec: SimOrderSpec = passive
      ? { kind: 'limit', side: 'ask', price: limit, volume: size, postOnly: true }
      : { kind: 'market_sell', volume: size };
    this.send(market, owner, id, 0, spec, reason, now, bid);
  }

  private send(
    market: Market,
    strategy: StrategyName,
    decisionId: DecisionId,
    leg: number,
    spec: SimOrderSpec,
    reason: string,
    now: EpochMs,
    referencePrice: Price,
  ): void {
    const identifier = orderIdentifier(decisionId, leg);
    const result = this.broker.place({ identifier, market, strategy, spec, reason }, now, referencePrice);
    if (!result.ok) {
      this.refuse(`exchange:${result.rejection.code}`);
      return;
    }
    this.risk.stamp({ market, decisionId, at: now });
  }
}

/** `risk:<code>`, with Upbit's rejection name appended when an exchange rule failed. */
function refusalKey(r: RiskRefusal): string {
  return r.exchangeRejection === undefined ? `risk:${r.code}` : `risk:${r.code}:${r.exchangeRejection.code}`;
}

function reasonOf(decision: Decision): string {
  const own = decision.signals.filter((s) => s.strategy === decision.strategy).map((s) => s.reason);
  const text = own.length > 0 ? own.join('; ') : decision.signals.map((s) => s.reason).join('; ');
  return decision.source === 'ensemble' ? `ensemble/${decision.strategy}: ${text}` : text;
}
