import { join } from 'node:path';
import { candlesOf, findCandleFiles, type TimeWindow } from '../../shared/src/backtest/data/candle-files';
import type { StepSnapshot } from '../../shared/src/backtest/engine/backtest-input';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { BacktestResult, TradeRecord } from '../../shared/src/backtest/result/backtest-result';
import { plainTradeRecord } from '../../shared/src/backtest/result/trade-store';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { KRW_MARKET_RULES, tickTableFor } from '../../shared/src/domain/market/market-rules';
import { isOnTick } from '../../shared/src/domain/market/tick-rounding';
import { type Timeframe, timeframeMs } from '../../shared/src/domain/market/timeframe';
import { Decimal, parseDecimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price } from '../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';

const FIXTURES = join(__dirname, '../fixtures');
// Real Upbit KRW-BTC 1m candles (240 bars) and real Binance BTC/USDT 1m candles (480 bars) read as KRW.
const DATASETS: readonly Dataset[] = [
  // Real Upbit KRW-BTC 1m candles (240 bars): every strategy that can run.
  {
    name: 'upbit KRW-BTC 1m 2020-02-20',
    path: join(FIXTURES, 'data/upbit_krw-btc_1m_2020-02-20.json'),
    timeframe: '1m',
    strategies: 'all',
  },
  // Real Binance BTC/USDT 1m candles (480 bars) read as KRW.
  {
    name: 'binance BTCUSDT 1m 2021-02-21',
    path: join(FIXTURES, 'backtest/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv'),
    timeframe: '1m',
    strategies: 'all',
  },
  // Real Bitstamp BTC/ETH/LTC day candles (600 days × 3 markets) read as KRW: the multi-market merge.
  {
    name: 'bitstamp BTC+ETH+LTC 1d',
    path: join(FIXTURES, 'backtest/bitstamp-daily'),
    timeframe: '1d',
    strategies: ['mean_reversion', 'microstructure'],
  },
];
const FEE = new Decimal('0.0005');

interface Dataset {
  readonly name: string;
  readonly path: string;
  readonly timeframe: Timeframe;
  readonly strategies: 'all' | readonly StrategyName[];
}

function sourcesOf(d: Dataset, window: TimeWindow = {}) {
  return new Map(findCandleFiles(d.path, []).map((f) => [f.market, candlesOf(f, d.timeframe, window)]));
}

/** A trade without its mark-outs, which look after the fill by definition (the fill itself does not). */
function withoutMarkouts(t: TradeRecord): Omit<TradeRecord, 'markoutBps'> {
  const { markoutBps: _, ...rest } = plainTradeRecord(t);
  return rest;
}

async function run(
  d: Dataset,
  window: TimeWindow = {},
  onStep?: (s: StepSnapshot) => void,
): Promise<BacktestResult> {
  return runBacktest(
    {
      candlesByMarket: sourcesOf(d, window),
      timeframe: d.timeframe,
      strategies: d.strategies,
      capital: krw('10000000'),
      feeRate: FEE,
      slippageBps: 3,
      seed: 42,
    },
    onStep === undefined ? {} : { onStep },
  );
}

describe.each(DATASETS)('backtest on real data: $name', (dataset) => {
  const tf = timeframeMs(dataset.timeframe);
  let full: BacktestResult;
  const steps: StepSnapshot[] = [];

  beforeAll(async () => {
    full = await run(dataset, {}, (s) => steps.push(s));
  });

  it('trades at all (otherwise the other checks prove nothing)', () => {
    expect(full.trades.length).toBeGreaterThan(10);
    expect(new Set(full.trades.map((t) => t.market)).size).toBe(full.markets.length);
    expect(full.trades.some((t) => t.side === 'ask')).toBe(true);
  });

  it('is deterministic: the same inputs and seed give byte-identical JSON', async () => {
    const again = await run(dataset);
    expect(JSON.stringify(again)).toBe(JSON.stringify(full));
  });

  it('is truncation invariant: a run to T has exactly the trades of the full run before T', async () => {
    const from = Date.parse(full.from);
    const to = Date.parse(full.to);
    for (const fraction of [0.4, 0.7]) {
      const cut = (from + Math.floor(((to - from) * fraction) / tf) * tf) as EpochMs;
      const truncated = await run(dataset, { to: cut });
      const before = full.trades.filter((t) => Date.parse(t.time) < cut);
      expect(before.length).toBeGreaterThan(0);
      expect(truncated.trades.map(withoutMarkouts)).toEqual(before.map(withoutMarkouts));
      // Mark-outs are measured after a fill; those the shorter run could already see are the same.
      truncated.trades.forEach((t, i) => {
        for (const [h, bps] of Object.entries(JSON.parse(JSON.stringify(t.markoutBps ?? {}))))
          if (bps !== null) expect(before[i]?.markoutBps?.[h as '1']).toBe(bps);
      });
    }
  });

  it('is lookahead-free: wild changes to bars after T leave every trade before T unchanged', async () => {
    const cut =
      Date.parse(full.from) + Math.floor((Date.parse(full.to) - Date.parse(full.from)) / 2 / tf) * tf;
    const perturb = function* (source: Iterable<Candle>) {
      for (const c of source)
        yield c.openTime < cut
          ? c
          : { ...c, open: c.open * 1.5, high: c.high * 1.6, low: c.low * 1.4, close: c.close * 1.5 };
    };
    const sources = new Map([...sourcesOf(dataset)].map(([m, src]) => [m, perturb(src as Iterable<Candle>)]));
    const result = await runBacktest({
      candlesByMarket: sources,
      timeframe: dataset.timeframe,
      strategies: dataset.strategies,
      capital: krw('10000000'),
      feeRate: FEE,
      slippageBps: 3,
      seed: 42,
    });
    const tradesBeforeCut = (r: BacktestResult) =>
      r.trades.filter((t) => Date.parse(t.time) < cut).map(withoutMarkouts);
    expect(tradesBeforeCut(result)).toEqual(tradesBeforeCut(full));
    expect(result.trades.map(plainTradeRecord)).not.toEqual(full.trades.map(plainTradeRecord));
  });

  it('charges the fee on every fill, exactly price × volume × rate', () => {
    for (const t of full.trades) {
      const fee = parseDecimal(t.feeKrw);
      expect(fee.gt(0)).toBe(true);
      expect(fee.eq(parseDecimal(t.price).times(parseDecimal(t.volume)).times(FEE))).toBe(true);
    }
    const total = full.trades.reduce((s, t) => s.plus(parseDecimal(t.feeKrw)), ZERO);
    expect(full.metrics.feesKrw).toBeCloseTo(total.toNumber(), 3);
  });

  it('never takes below the 5,000 KRW minimum order, and never fills off the tick grid or with more than 8 decimals', () => {
    for (const t of full.trades) {
      // Resting orders may fill partially, in any size, as on Upbit; what we send is ≥ the minimum.
      if (!t.maker)
        expect(parseDecimal(t.price).times(parseDecimal(t.volume)).gte(KRW_MARKET_RULES.minTotal)).toBe(true);
      expect(parseDecimal(t.volume).gt(0)).toBe(true);
      expect(parseDecimal(t.volume).decimalPlaces()).toBeLessThanOrEqual(8);
      const table = tickTableFor(KRW_MARKET_RULES, Date.parse(t.time) as EpochMs);
      expect(isOnTick(price(t.price), { table, asset: t.market.slice(4) })).toBe(true);
    }
  });

  it('keeps equity = cash + holdings at every step, with cash and holdings rebuilt from the fills', () => {
    // One snapshot per time step; a step holds one bar of each market trading at that time.
    expect(steps.length).toBeGreaterThanOrEqual(full.bars / full.markets.length);
    expect(steps.length).toBeLessThanOrEqual(full.bars);
    const byTime = new Map<number, TradeRecord[]>();
    for (const t of full.trades)
      byTime.set(Date.parse(t.time), [...(byTime.get(Date.parse(t.time)) ?? []), t]);
    let cash: Decimal = new Decimal(10_000_000);
    const held = new Map<string, Decimal>();
    for (const s of steps) {
      for (const t of byTime.get(s.at - tf) ?? []) {
        const value = parseDecimal(t.price).times(parseDecimal(t.volume));
        const fee = parseDecimal(t.feeKrw);
        const before = held.get(t.market) ?? ZERO;
        cash = t.side === 'bid' ? cash.minus(value).minus(fee) : cash.plus(value).minus(fee);
        held.set(
          t.market,
          t.side === 'bid' ? before.plus(parseDecimal(t.volume)) : before.minus(parseDecimal(t.volume)),
        );
      }
      expect(s.cash.eq(cash)).toBe(true);
      expect(cash.gte(0)).toBe(true);
      let holdings: Decimal = ZERO;
      for (const [market, h] of s.holdings) {
        const expected = held.get(market) ?? ZERO;
        expect(expected.gte(0)).toBe(true);
        expect(h.volume.eq(expected)).toBe(true);
        holdings = holdings.plus(h.volume.times(h.mark));
      }
      expect(s.equity.eq(cash.plus(holdings))).toBe(true);
    }
    expect(full.metrics.finalEquityKrw).toBeCloseTo(
      (steps[steps.length - 1] as StepSnapshot).equity.toNumber(),
      3,
    );
  });

  it('reports every issue field and a bounded equity curve', () => {
    // A Sharpe from under 30 daily returns is flagged, in the JSON as everywhere else.
    expect(full.metrics.sharpeWarning !== undefined).toBe(full.metrics.returnDays < 30);
    expect(
      Object.keys(full.metrics)
        .filter((k) => k !== 'sharpeWarning')
        .sort(),
    ).toEqual(
      [
        'avgPnlKrw',
        'dailyGoalHitRatePct',
        'returnDays',
        'feesKrw',
        'fills',
        'finalEquityKrw',
        'maxDrawdownPct',
        'profitFactor',
        'sharpe',
        'sortino',
        'totalReturnPct',
        'trades',
        'tradesPerDay',
        'winRate',
      ].sort(),
    );
    expect(full.equityCurve.length).toBeGreaterThan(0);
    expect(full.equityCurve.length).toBeLessThanOrEqual(5000);
    expect(Object.keys(full.perStrategy).length).toBeGreaterThan(0);
  });
});
