import type {
  BacktestMetrics,
  BacktestResult,
  TradeRecord,
} from '../../shared/src/backtest/result/backtest-result';

/** Metrics with every field set, so renderers are exercised on realistic numbers. */
export function metrics(overrides: Partial<BacktestMetrics> = {}): BacktestMetrics {
  return {
    totalReturnPct: 1.5,
    sharpe: 1.23,
    sortino: null,
    maxDrawdownPct: 0.8,
    winRate: 50,
    avgPnlKrw: 1234.5,
    profitFactor: 1.7,
    trades: 3,
    tradesPerDay: 0.1,
    fills: 6,
    feesKrw: 2500,
    finalEquityKrw: 10_150_000,
    dailyGoalHitRatePct: 3.3,
    returnDays: 58,
    ...overrides,
  };
}

function trade(t: Partial<TradeRecord> & Pick<TradeRecord, 'time' | 'side' | 'price'>): TradeRecord {
  return {
    market: 'KRW-BTC',
    strategy: 'market_making',
    volume: '0.01',
    feeKrw: '250',
    pnlKrw: '0',
    reason: 'quote',
    maker: true,
    ...t,
  };
}

/**
 * A small two-month, two-market result. Times are UTC; 00:30Z is 09:30 KST. One reason carries
 * markup to prove escaping. Closed trades (sells): BTC +9,500 (held 30 min, 09 KST), BTC −3,000
 * (held 2 h, 18 KST), ETH +1,000 (held 3 min, 00 KST).
 */
export function fixtureResult(): BacktestResult {
  const trades: TradeRecord[] = [
    trade({ time: '2024-01-10T00:00:00.000Z', side: 'bid', price: '50000000' }),
    trade({ time: '2024-01-10T00:30:00.000Z', side: 'ask', price: '51000000', pnlKrw: '9500' }),
    trade({ time: '2024-02-05T07:00:00.000Z', side: 'bid', price: '52000000' }),
    trade({
      time: '2024-02-05T09:00:00.000Z',
      side: 'ask',
      price: '51750000',
      pnlKrw: '-3000',
      reason: '</script><script>alert("x")</script>',
    }),
    trade({
      time: '2024-02-06T15:00:00.000Z',
      market: 'KRW-ETH',
      strategy: 'stat_arb',
      side: 'bid',
      price: '3000000',
      volume: '0.5',
      maker: false,
      reason: 'z<-2 & "entry"',
    }),
    trade({
      time: '2024-02-06T15:03:00.000Z',
      market: 'KRW-ETH',
      strategy: 'stat_arb',
      side: 'ask',
      price: '3005000',
      volume: '0.5',
      pnlKrw: '1000',
      maker: false,
      reason: 'exit',
    }),
  ];
  const equityCurve = [
    { time: Date.parse('2024-01-01T00:00:00Z'), equity: 10_000_000, drawdownPct: 0 },
    { time: Date.parse('2024-01-20T00:00:00Z'), equity: 10_100_000, drawdownPct: 0 },
    { time: Date.parse('2024-01-31T14:00:00Z'), equity: 10_200_000, drawdownPct: 0 },
    { time: Date.parse('2024-02-10T00:00:00Z'), equity: 10_098_000, drawdownPct: 1 },
    { time: Date.parse('2024-02-28T00:00:00Z'), equity: 10_150_000, drawdownPct: 0.49 },
  ];
  return {
    strategy: 'market_making,stat_arb',
    markets: ['KRW-BTC', 'KRW-ETH'],
    from: '2024-01-01T00:00:00.000Z',
    to: '2024-02-28T00:00:00.000Z',
    bars: 83_520,
    metrics: metrics(),
    perStrategy: { market_making: metrics({ trades: 2 }), stat_arb: metrics({ trades: 1, sharpe: null }) },
    trades,
    equityCurve,
    markouts: {
      horizonsBars: [1, 5, 30],
      all: {
        '1': { fills: 2, meanBps: 1.5, adversePct: 50 },
        '5': { fills: 2, meanBps: -0.5, adversePct: 50 },
        '30': { fills: 1, meanBps: -3, adversePct: 100 },
      },
      byStrategy: {
        market_making: {
          '1': { fills: 2, meanBps: 1.5, adversePct: 50 },
          '5': { fills: 2, meanBps: -0.5, adversePct: 50 },
          '30': { fills: 1, meanBps: -3, adversePct: 100 },
        },
      },
    },
    assumptions: {
      capitalKrw: 10_000_000,
      feeRate: 0.0005,
      slippageBps: 5,
      seed: 42,
      timeframe: '1m',
      fillModel: [
        'Limit orders fill only when a later bar trades through the price (queue position: last).',
        'Market orders pay half the synthetic spread plus <slippage>.',
      ],
      refusals: { under_minimum: 2, post_only_would_cross: 1 },
      restingFillSources: { tape: 0, bar: 12 },
    },
  };
}
