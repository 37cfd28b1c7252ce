import {
  DAYS_PER_YEAR,
  dailyGoalAttainment,
  dailyReturnsKst,
  maxDrawdown,
  periodsPerYear,
  sharpeRatio,
  sortinoRatio,
  tradeFrequency,
  tradeMetrics,
} from '../../shared/src/domain/risk/performance-metrics';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { kst } from './risk-test-kit';

/*
 * Worked example (daily returns, KST days, 24/7 convention: 365 periods per year, risk-free 0):
 *   r = [+2 %, −1 %, +3 %, 0 %]
 *   mean = 0.04 / 4 = 0.01
 *   deviations = [0.01, −0.02, 0.02, −0.01] → squares sum 0.0001 + 0.0004 + 0.0004 + 0.0001 = 0.001
 *   sample stdev = √(0.001 / 3) = 0.0182574186
 *   daily Sharpe = 0.01 / 0.0182574186 = 0.5477225575; × √365 (19.1049731745) = 10.4642247682
 *   downside deviation = √((−0.01)² / 4) = 0.005 → daily Sortino = 2; × √365 = 38.2099463491
 * Equity curve [100, 120, 90, 95, 130, 117]: the worst fall is 120 → 90 = 25 % (30), not 130 → 117 (10 %).
 */
const RETURNS = [0.02, -0.01, 0.03, 0];

describe('performance metrics (worked example)', () => {
  it('Sharpe annualised with √365', () => {
    expect(DAYS_PER_YEAR).toBe(365);
    expect(sharpeRatio(RETURNS, DAYS_PER_YEAR)).toBeCloseTo(10.464224768228176, 9);
    expect(sharpeRatio([0.01], 365)).toBeUndefined();
    expect(sharpeRatio([0.01, 0.01], 365)).toBeUndefined();
  });

  it('Sortino with downside deviation over all periods', () => {
    expect(sortinoRatio(RETURNS, DAYS_PER_YEAR)).toBeCloseTo(38.2099463490856, 9);
    expect(sortinoRatio([0.01, 0.02], 365)).toBeUndefined();
  });

  it('periods per year for bars: 1-minute bars are 525,600 a year', () => {
    expect(periodsPerYear(60_000)).toBe(525_600);
    expect(periodsPerYear(86_400_000)).toBe(365);
  });

  it('max drawdown picks the largest peak-to-trough fall', () => {
    expect(maxDrawdown([100, 120, 90, 95, 130, 117])).toEqual({
      fraction: 0.25,
      amount: 30,
      peakIndex: 1,
      troughIndex: 2,
    });
    expect(maxDrawdown([1, 2, 3]).fraction).toBe(0);
  });

  it('trade statistics: PnL, win rate, average P/L, profit factor', () => {
    const at = 0 as EpochMs;
    const m = tradeMetrics([1000, -500, 2000, -250, 0].map((netPnl) => ({ netPnl, closedAt: at })));
    // gross profit 3,000, gross loss 750 → PF 4; total 2,250 over 5 trades = 450.
    expect(m).toEqual({
      trades: 5,
      totalPnl: 2250,
      winRate: 0.4,
      averagePnl: 450,
      averageWin: 1500,
      averageLoss: -375,
      profitFactor: 4,
    });
    expect(tradeMetrics([]).profitFactor).toBeUndefined();
    expect(tradeMetrics([{ netPnl: 5, closedAt: at }]).profitFactor).toBe(Number.POSITIVE_INFINITY);
  });

  it('daily returns on KST days, the 2 % goal and trade frequency', () => {
    const points = [
      { at: kst('2026-11-25T00:00:00'), equity: 100 },
      { at: kst('2026-11-25T23:59:59'), equity: 102 }, // day 1: 102/100 − 1 = 2 %
      { at: kst('2026-11-26T00:00:00'), equity: 101 },
      { at: kst('2026-11-26T12:00:00'), equity: 100.98 }, // day 2: 100.98/102 − 1 = −1 %
    ];
    const daily = dailyReturnsKst(points);
    expect(daily.map((d) => d.day)).toEqual(['2026-11-25', '2026-11-26']);
    expect(daily[0]?.ret).toBeCloseTo(0.02, 12);
    expect(daily[1]?.ret).toBeCloseTo(-0.01, 12);
    expect(dailyGoalAttainment([0.025, 0.01, 0.02, -0.01])).toEqual({ days: 4, hit: 2, rate: 0.5 });
    const from = kst('2026-11-25T00:00:00');
    const to = kst('2026-11-27T00:00:00');
    const trades = [0, 1, 2, 3, 4].map((i) => ({ netPnl: 1, closedAt: (from + i * 3_600_000) as EpochMs }));
    expect(tradeFrequency([...trades, { netPnl: 1, closedAt: to }], from, to)).toBe(2.5);
  });
});
