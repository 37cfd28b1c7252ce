import type { EpochMs } from '../time/epoch';
import type { Candle } from './market-data';

/**
 * The close in force at each of `count` marks `step` ms apart ending at `anchor`, oldest first: the
 * close of the last candle that opened at or before the mark (a candle exists only for an interval
 * with a trade, so a quiet market's price is carried forward, not shifted). Marks before the first
 * candle are left out. Sampling stored candles by index instead would take "60 candles ago" for
 * "an hour ago" and misalign a quiet market's returns with the others', which shows a
 * diversification that does not exist and understates VaR.
 */
export function closesAtMarks(
  candles: readonly Candle[],
  anchor: EpochMs,
  step: number,
  count: number,
): number[] {
  const out: number[] = [];
  let i = candles.length - 1;
  for (let k = 0; k < count; k++) {
    const mark = anchor - k * step;
    while (i >= 0 && (candles[i] as Candle).openTime > mark) i--;
    if (i < 0) break;
    out.push((candles[i] as Candle).close);
  }
  return out.reverse();
}

/** The latest candle start among several markets' candles (each oldest first): the marks' common anchor. */
export function latestOpenTime(series: Iterable<readonly Candle[]>): EpochMs | undefined {
  let latest: EpochMs | undefined;
  for (const candles of series) {
    const last = candles[candles.length - 1];
    if (last !== undefined && (latest === undefined || last.openTime > latest)) latest = last.openTime;
  }
  return latest;
}
