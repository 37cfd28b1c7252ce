import { MS } from '../time/epoch';

/** Candle timeframes the system uses, with their length in ms. Upbit has no 1d minute unit: 1d is a day candle. */
export const TIMEFRAME_MS = {
  '1s': MS.second,
  '1m': MS.minute,
  '3m': 3 * MS.minute,
  '5m': 5 * MS.minute,
  '15m': 15 * MS.minute,
  '60m': 60 * MS.minute,
  '240m': 240 * MS.minute,
  '1d': MS.day,
} as const;

/** One of the supported timeframes. */
export type Timeframe = keyof typeof TIMEFRAME_MS;

/** All supported timeframes, shortest first. */
export const TIMEFRAMES = Object.keys(TIMEFRAME_MS) as readonly Timeframe[];

/** Parses a timeframe name; the error lists the valid ones. */
export function parseTimeframe(text: string): Timeframe {
  if (Object.hasOwn(TIMEFRAME_MS, text)) return text as Timeframe;
  throw new RangeError(`unknown timeframe "${text}": use one of ${TIMEFRAMES.join(', ')}`);
}

/** Length of a timeframe in ms. */
export function timeframeMs(tf: Timeframe): number {
  return TIMEFRAME_MS[tf];
}

/**
 * Start of the bucket containing `at`. Upbit aligns every candle to UTC: minute units on multiples
 * of the unit since the epoch (so 240m candles start at 01/05/09/13/17/21 KST) and day candles at
 * 00:00 UTC = 09:00 KST.
 */
export function bucketStart(at: number, tf: Timeframe): number {
  const len = TIMEFRAME_MS[tf];
  return Math.floor(at / len) * len;
}
