import type { PipelineAccount } from '../../domain/ensemble/decision-pipeline';
import { draftOfPlanned } from '../../domain/ensemble/order-plan';
import type { MarketRules } from '../../domain/market/market-rules';
import { orderStamp, type TradeStamp } from '../../domain/risk/cooldown';
import type { Commitment } from '../../domain/risk/exposure';
import type { MarketView } from '../../domain/risk/fat-finger';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import type { LossStatus } from '../../domain/risk/loss-ledger';
import { commitmentOfDraft, type RiskContext } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { ControlState } from '../../ports/control-store';
import { effectiveTradingState } from '../risk/load-risk-context';

/** The account as the state store holds it at the start of an analysis pass. */
export interface AccountFacts {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly control: ControlState;
  readonly positions: readonly Position[];
  readonly commitments: readonly Commitment[];
  readonly recentTrades: readonly TradeStamp[];
  readonly lossStatus?: LossStatus;
}

/**
 * The account during one analysis pass: the stored facts plus what this pass has decided so far.
 * Each approved decision's orders are counted as the executor will place them (the same order plan
 * as the backtest: commitments, and a cooldown stamp at the decision's time for a risk-adding one),
 * so the next decision of the pass sees them, exactly as the backtest's next decision sees the
 * orders it just placed.
 */
export class LiveAccount {
  private readonly commitments: Commitment[];
  private readonly stamps: TradeStamp[];

  constructor(
    private readonly facts: AccountFacts,
    private readonly statsOf: (strategy: StrategyName | 'operator') => TradeOutcomeStats,
  ) {
    this.commitments = [...facts.commitments];
    this.stamps = [...facts.recentTrades];
  }

  get limits(): RiskLimits {
    return this.facts.limits;
  }

  get rules(): MarketRules {
    return this.facts.rules;
  }

  /** Positions held now (the strategies' contexts read them). */
  get positions(): readonly Position[] {
    return this.facts.positions;
  }

  /** Open orders' commitments plus this pass's decisions so far. */
  get currentCommitments(): readonly Commitment[] {
    return this.commitments;
  }

  /** The pipeline's view of this account for one market and decision instant. */
  forMarket(market: MarketView, now: EpochMs): PipelineAccount {
    return {
      riskContext: (strategy) => this.context(market, now, strategy),
      stats: (strategy) => this.statsOf(strategy),
      place: (decision, orders) => {
        let stamp: TradeStamp | undefined;
        for (const o of orders) {
          const order = { draft: draftOfPlanned(decision.market, o.spec), strategy: decision.strategy };
          this.commitments.push(commitmentOfDraft({ ...order, decisionId: decision.id }, this.facts.rules));
          stamp ??= orderStamp(decision.market, decision.id, decision.createdAt, order);
        }
        if (stamp !== undefined) this.stamps.push(stamp);
        return orders.map(() => undefined);
      },
    };
  }

  private context(market: MarketView, now: EpochMs, strategy: StrategyName | 'operator'): RiskContext {
    const f = this.facts;
    return {
      now,
      limits: f.limits,
      rules: f.rules,
      state: effectiveTradingState(f.control, strategy),
      ...(f.lossStatus === undefined ? {} : { lossStatus: f.lossStatus }),
      positions: f.positions,
      commitments: [...this.commitments],
      recentTrades: [...this.stamps],
      market,
    };
  }
}
