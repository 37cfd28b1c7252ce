import { MS } from '../time/epoch';
import type { TapeCandle } from './market-tape';

/** Calendar periods Upbit serves besides fixed-length units (`/candles/weeks|months|years`). */
export const CANDLE_PERIODS = ['week', 'month', 'year'] as const;
/** One of {@link CANDLE_PERIODS}. */
export type CandlePeriod = (typeof CANDLE_PERIODS)[number];

/** A week, month or year candle built from day candles. */
export interface PeriodCandle {
  /** Period start, UTC midnight (weeks start on Monday, PROTOCOL.md §5.1). */
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly lastTradeAt: number;
}

/** UTC start of the period containing `at`. */
export function periodStart(at: number, period: CandlePeriod): number {
  const d = new Date(at);
  if (period === 'year') return Date.UTC(d.getUTCFullYear(), 0, 1);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Math.floor(at / MS.day) * MS.day;
  return day - ((d.getUTCDay() + 6) % 7) * MS.day;
}

/**
 * Up to `count` period candles starting strictly before `to` (all when omitted), newest first like
 * Upbit, merged from day candles given oldest first. A period exists only if a day in it traded.
 */
export function periodCandles(
  days: readonly TapeCandle[],
  period: CandlePeriod,
  count: number,
  to?: number,
): PeriodCandle[] {
  const merged: PeriodCandle[] = [];
  for (const day of days) {
    const start = periodStart(day.start, period);
    const cur = merged[merged.length - 1];
    if (cur !== undefined && cur.start === start)
      merged[merged.length - 1] = {
        ...cur,
        high: Math.max(cur.high, day.high),
        low: Math.min(cur.low, day.low),
        close: day.close,
        volume: cur.volume + day.volume,
        quoteVolume: cur.quoteVolume + day.quoteVolume,
        lastTradeAt: day.lastTradeAt,
      };
    else
      merged.push({
        start,
        open: day.open,
        high: day.high,
        low: day.low,
        close: day.close,
        volume: day.volume,
        quoteVolume: day.quoteVolume,
        lastTradeAt: day.lastTradeAt,
      });
  }
  const out: PeriodCandle[] = [];
  for (let i = merged.length - 1; i >= 0 && out.length < count; i--) {
    const c = merged[i] as PeriodCandle;
    if (to === undefined || c.start < to) out.push(c);
  }
  return out;
}
