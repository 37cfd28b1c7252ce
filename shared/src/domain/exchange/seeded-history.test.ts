import fc from 'fast-check';
import { isOnTick, type TickContext } from '../market/tick-rounding';
import { tickTableAt } from '../market/tick-table';
import { Decimal } from '../money/decimal';
import type { Price } from '../money/quantities';
import { type EpochMs, MS } from '../time/epoch';
import { type CandlePeriod, periodCandles, periodStart } from './period-candles';
import { SeededRandom } from './prng';
import { calibrateFromBars, generateHistory, type HistoryAnchor, numericTickRounder } from './seeded-history';

const END = Date.parse('2026-11-25T13:07:21.500Z');
const TICKS: TickContext = { table: tickTableAt(END as EpochMs), asset: 'BTC' };
const round = numericTickRounder(TICKS);
const ANCHOR: HistoryAnchor = {
  end: END,
  endPrice: 150_000_000,
  dailyVol: 0.03,
  tradeNotional: 550_000,
  tradesPerSecond: 1,
  round: (p) => round(p),
};
const onTick = (p: number) => isOnTick(new Decimal(String(p)) as Price, TICKS);

describe('generateHistory', () => {
  const h = generateHistory(ANCHOR, { minuteDays: 2, dayCount: 365, trades: 500 }, new SeededRandom(9));

  it('ends with trades just before the start, the last one at the start price', () => {
    expect(h.trades).toHaveLength(500);
    expect(h.trades[499]?.price).toBe(150_000_000);
    for (let i = 1; i < h.trades.length; i++)
      expect(h.trades[i]?.at).toBeGreaterThan(h.trades[i - 1]?.at as number);
    expect(h.trades[499]?.at).toBeLessThan(END);
    for (const t of h.trades) {
      expect(onTick(t.price)).toBe(true);
      expect(t.volume).toBeGreaterThan(0);
    }
  });

  it('has contiguous minutes from a UTC midnight at least 2 days back up to the first trade, each opening at the last close', () => {
    const first = h.minutes[0];
    const last = h.minutes[h.minutes.length - 1];
    expect((first?.start ?? 1) % MS.day).toBe(0);
    expect(END - (first?.start ?? END)).toBeGreaterThanOrEqual(2 * MS.day);
    expect(last?.start).toBe(Math.floor((h.trades[0]?.at ?? 0) / MS.minute) * MS.minute - MS.minute);
    const broken = h.minutes.filter((m, i) => {
      const next = h.minutes[i + 1];
      return (
        m.high < Math.max(m.open, m.close) ||
        m.low > Math.min(m.open, m.close) ||
        m.lastTradeAt < m.start ||
        m.lastTradeAt >= m.start + MS.minute ||
        ![m.open, m.high, m.low, m.close].every(onTick) ||
        (next !== undefined && (next.start !== m.start + MS.minute || next.open !== m.close))
      );
    });
    expect(broken).toEqual([]);
  });

  it('has a year of days before the minutes, the last closing where the minutes open', () => {
    expect(h.days).toHaveLength(365);
    expect((h.days[364]?.start ?? 0) + MS.day).toBe(h.minutes[0]?.start);
    expect(h.days[364]?.close).toBe(h.minutes[0]?.open);
    for (let i = 1; i < h.days.length; i++) {
      expect(h.days[i]?.start).toBe((h.days[i - 1]?.start ?? 0) + MS.day);
      expect(h.days[i]?.open).toBe(h.days[i - 1]?.close);
    }
  });

  it('is a walk of the live market: same seed, same past; realistic spread of a year at 3 %/day', () => {
    const again = generateHistory(ANCHOR, { minuteDays: 2, dayCount: 365, trades: 500 }, new SeededRandom(9));
    expect(JSON.stringify(again)).toBe(JSON.stringify(h));
    const closes = h.days.map((d) => d.close);
    const returns = closes.slice(1).map((c, i) => Math.log(c / (closes[i] as number)));
    const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    expect(sd).toBeGreaterThan(0.02);
    expect(sd).toBeLessThan(0.04);
  });
});

describe('calibrateFromBars', () => {
  it('reads daily volatility and KRW per second from replayed bars', () => {
    const rng = new SeededRandom(1);
    let p = 100;
    const bars = Array.from({ length: 2_000 }, () => {
      p *= Math.exp(0.001 * rng.normal());
      return { close: p, volume: 3 };
    });
    const c = calibrateFromBars(bars, MS.minute);
    expect(c?.dailyVol).toBeGreaterThan(0.001 * Math.sqrt(1_440) * 0.9);
    expect(c?.dailyVol).toBeLessThan(0.001 * Math.sqrt(1_440) * 1.1);
    expect(c?.krwPerSecond).toBeCloseTo((3 * 100) / 60, 0);
    expect(calibrateFromBars([{ close: 1, volume: 1 }], MS.minute)).toBeUndefined();
  });
});

describe('numericTickRounder', () => {
  it('lands on the tick grid within half a tick, like roundToTick nearest', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.00001, max: 5e9, noNaN: true }), (p) => {
        const r = round(p);
        expect(onTick(r)).toBe(true);
        const tick = Math.max(round(r * 1.0000001) - r, 0);
        expect(Math.abs(r - p)).toBeLessThanOrEqual(Math.max(tick, r * 0.01) + 1e-9);
      }),
      { numRuns: 500 },
    );
  });
});

describe('periodCandles', () => {
  const day = (iso: string, close: number) => {
    const start = Date.parse(`${iso}T00:00:00Z`);
    return {
      start,
      open: close - 1,
      high: close + 1,
      low: close - 2,
      close,
      volume: 1,
      quoteVolume: close,
      lastTradeAt: start + 1,
      prevClose: close - 1,
    };
  };
  // Sunday 2026-11-29, Monday 2026-11-30 .. Tuesday 2026-12-01, then 2027-01-04.
  const days = [day('2026-11-29', 10), day('2026-11-30', 20), day('2026-12-01', 30), day('2027-01-04', 40)];

  it('merges days into Monday weeks, months and years, newest first', () => {
    const ids = (p: CandlePeriod) =>
      periodCandles(days, p, 10).map((c) => [
        new Date(c.start).toISOString().slice(0, 10),
        c.close,
        c.volume,
      ]);
    expect(ids('week')).toEqual([
      ['2027-01-04', 40, 1],
      ['2026-11-30', 30, 2],
      ['2026-11-23', 10, 1],
    ]);
    expect(ids('month')).toEqual([
      ['2027-01-01', 40, 1],
      ['2026-12-01', 30, 1],
      ['2026-11-01', 20, 2],
    ]);
    expect(ids('year')).toEqual([
      ['2027-01-01', 40, 1],
      ['2026-01-01', 30, 3],
    ]);
    const nov = periodCandles(days, 'month', 10)[2];
    expect(nov).toMatchObject({ open: 9, high: 21, low: 8, close: 20 });
  });

  it('treats `to` as exclusive and honours count', () => {
    const to = periodStart(Date.parse('2026-12-15T00:00:00Z'), 'month');
    expect(periodCandles(days, 'month', 10, to).map((c) => c.close)).toEqual([20]);
    expect(periodCandles(days, 'week', 1).map((c) => c.close)).toEqual([40]);
  });
});
