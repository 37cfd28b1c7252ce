import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Krw } from '../../domain/money/quantities';
import type { TradeStamp } from '../../domain/risk/cooldown';
import type { Commitment } from '../../domain/risk/exposure';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import type { LossStatus } from '../../domain/risk/loss-status';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { TradingState } from '../../domain/trading/emergency';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { BrokerFill, SimulatedBroker } from '../broker/simulated-broker';
import type { MarkBook } from './mark-book';
import type { BacktestRiskState } from './risk-state';

/**
 * One decision step as the engine saw it: the account facts the decisions were taken against (before
 * the step's first decision), the step's bars and signals, and the pipeline's result per market.
 * `signals` is the engine's one StepSignals and holds the strategies' own signal objects (market
 * making refills its per market): read during the call, copy to keep (see StepSignals).
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

/** Receives every decision step (see {@link DecisionStepEvent}). */
export type DecisionObserver = (event: DecisionStepEvent) => void;

/** Receives every fill in time order with the strategy that owns it (for results and reports). */
export type FillListener = (fill: BrokerFill) => void;

/**
 * The account facts of a {@link DecisionStepEvent}, read before the step's first decision: copies
 * where the source changes in place (recent trades, stats), the broker's immutable lists otherwise.
 * Only an observed run builds them (parity tests, research), never the plain backtest.
 */
export function accountFacts(
  now: EpochMs,
  equity: Krw,
  risk: BacktestRiskState,
  broker: SimulatedBroker,
  marks: MarkBook,
  names: readonly StrategyName[],
  stats: (strategy: StrategyName) => TradeOutcomeStats,
): Omit<DecisionStepEvent, 'bars' | 'signals' | 'results'> {
  const status = risk.latestLossStatus;
  return {
    at: now,
    equity,
    state: risk.state,
    ...(status === undefined ? {} : { lossStatus: status }),
    positions: broker.allPositions(),
    commitments: broker.commitments(),
    recentTrades: [...risk.recentTrades],
    lastBars: marks.bars(),
    stats: new Map(names.map((n) => [n, stats(n)])),
  };
}
