/**
 * Audit (audit6): a backtest fed candle views of columns (`columnCandleViews`: the benchmark's
 * default input and every optimizer task's) against the same backtest fed plain candle objects (what
 * `npm run backtest` streams). The identity matrix compares a base and a head on the same input
 * kind, so it cannot see a difference between the two kinds: a view's fields are prototype getters,
 * invisible to a spread or `Object.keys`. Claim: the same JSON result.
 */
import { toCandleColumns } from '../../shared/src/backtest/data/candle-columns';
import { columnCandleViews } from '../../shared/src/backtest/data/candle-views';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { AFTER_2025, input, walk } from './support/hand-made-markets';

describe('audit: candle views vs plain candles (claim: the same backtest result)', () => {
  it('all strategies on two markets, one of them low-priced', async () => {
    const lib = { Decimal, krw, DEFAULT_RISK_LIMITS };
    const a = parseMarket('KRW-BTC');
    const b = parseMarket('KRW-XRP');
    const bars = new Map([
      [a, walk(a, AFTER_2025, 100_000_000, 600, 15, 3)],
      [b, walk(b, AFTER_2025, 100.2, 600, 30, 4)],
    ]);
    const views = new Map(
      [...bars].map(([m, list]) => [m, [...columnCandleViews(toCandleColumns(list), m, '1m')]] as const),
    );
    const plain = JSON.stringify(await runBacktest(input(lib, bars, 'all')));
    const viewed = JSON.stringify(await runBacktest(input(lib, views as Map<typeof a, Candle[]>, 'all')));
    expect(viewed).toBe(plain);
    expect((JSON.parse(plain) as { trades: unknown[] }).trades.length).toBeGreaterThan(5);
  });
});
