import type { StrategyName } from '../../domain/trading/strategy-name';
import type { FillMarkouts, MarkoutSummary } from './markouts';
import type { SignalOutcomes } from './signal-outcomes';

/**
 * Headline performance numbers, the same set for the whole run and for each strategy, so the
 * terminal table, `--json` and the HTML report can never disagree on a definition.
 * Conventions (see domain/risk/performance-metrics.ts): Sharpe and Sortino on KST daily returns
 * annualised with 365 days; `trades`, `winRate`, `avgPnlKrw` and `profitFactor` count closed trades
 * (every sell fill, which realises PnL net of both legs' fees); `fills` counts every execution.
 * Ratios that are undefined (no variance, no losses, no trades) are `null`, never `Infinity` or `NaN`,
 * because JSON cannot carry those.
 */
export interface BacktestMetrics {
  readonly totalReturnPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdownPct: number;
  /** Share of closed trades with positive net PnL, in percent (0–100). */
  readonly winRate: number;
  readonly avgPnlKrw: number;
  readonly profitFactor: number | null;
  readonly trades: number;
  readonly tradesPerDay: number;
  readonly fills: number;
  readonly feesKrw: number;
  readonly finalEquityKrw: number;
  /** Share of KST days whose return reached the daily goal (2 % by default), in percent. */
  readonly dailyGoalHitRatePct: number;
  /** KST daily returns behind `sharpe` and `sortino` (the first and last days may be partial). */
  readonly returnDays: number;
  /** Present when `returnDays` < 30: the Sharpe and Sortino are too noisy to mean anything. */
  readonly sharpeWarning?: string;
}

/** Why a fill happened: the signal's reason, a risk exit, or the market-making quote it came from. */
export type TradeReason = string;

/**
 * One execution of a simulated order. Money fields are exact decimal strings (the broker keeps cash
 * and positions in decimal.js), so a user can add up `feeKrw` to the won; parse with `Number` for
 * charts. `pnlKrw` is the realised PnL of a sell net of both legs' fees; buys realise nothing ("0").
 */
export interface TradeRecord {
  /** ISO-8601 UTC start of the bar during which the fill happened. */
  readonly time: string;
  readonly market: string;
  readonly strategy: StrategyName | 'operator';
  readonly side: 'bid' | 'ask';
  readonly price: string;
  readonly volume: string;
  readonly feeKrw: string;
  readonly pnlKrw: string;
  readonly reason: TradeReason;
  /** True when the order rested and was hit (maker), false when it took liquidity. */
  readonly maker: boolean;
  /**
   * Maker fills only: the price change 1, 5 and 30 bars later, in bps, positive when it moved our way.
   * Absent or undefined on a taker fill (a stored record reads it through a getter).
   */
  readonly markoutBps?: FillMarkouts | undefined;
}

/** One sample of the downsampled equity curve for charts. */
export interface EquitySample {
  /** Epoch ms (bar close time). */
  readonly time: number;
  readonly equity: number;
  /** Drawdown from the running peak at this instant, in percent (≥ 0). */
  readonly drawdownPct: number;
}

/** Each strategy's contribution: the same metrics computed on its own fills and PnL. */
export type PerStrategyMetrics = Readonly<Partial<Record<StrategyName, BacktestMetrics>>>;

/** Modelling choices stated on every report so a reader knows what the numbers assume. */
export interface BacktestAssumptions {
  readonly capitalKrw: number;
  readonly feeRate: number;
  readonly slippageBps: number;
  readonly seed: number;
  readonly timeframe: string;
  /** Plain-English statements of the fill model, spread model and latency, one per line. */
  readonly fillModel: readonly string[];
  /**
   * Counts by reason: orders refused (`risk:<code>`, `exchange:<code>`), emergency latches set
   * (`latch:<trigger>`) and released (`release:auto`, `release:assumed_operator`).
   */
  readonly refusals: Readonly<Record<string, number>>;
  /**
   * Bars on which resting orders were waiting, by where their fills came from: the recorded tape
   * (`tape`) or the candle estimate (`bar`).
   */
  readonly restingFillSources: { readonly tape: number; readonly bar: number };
  /** Strategies `all` left out because they cannot run on these settings (e.g. the timeframe), with why. */
  readonly skippedStrategies?: Readonly<Record<string, string>>;
}

/**
 * The whole result of one backtest: exactly the issue's `--json` fields, plus the equity curve
 * (≤ 5,000 points) and the assumptions for the HTML report. Contains no wall-clock data, so the
 * same inputs and seed give byte-identical JSON.
 */
export interface BacktestResult {
  /** `all` or the strategy names joined by commas, as requested. */
  readonly strategy: string;
  readonly markets: readonly string[];
  /** ISO-8601 UTC open time of the first bar and close time of the last one. */
  readonly from: string;
  readonly to: string;
  readonly bars: number;
  readonly metrics: BacktestMetrics;
  readonly perStrategy: PerStrategyMetrics;
  readonly trades: readonly TradeRecord[];
  readonly equityCurve: readonly EquitySample[];
  /** Adverse selection of maker fills: mark-outs 1, 5 and 30 bars after each, overall and per strategy. */
  readonly markouts: MarkoutSummary;
  readonly assumptions: BacktestAssumptions;
  /** What became of every strategy's signals, the ungated signal results and the Kelly gate's periods. */
  readonly signalOutcomes?: SignalOutcomes;
}

/** Largest number of equity samples kept for charts; the curve is thinned evenly beyond it. */
export const MAX_EQUITY_SAMPLES = 5000;
