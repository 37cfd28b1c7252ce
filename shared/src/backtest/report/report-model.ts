import { type Decimal, parseDecimal, ZERO } from '../../domain/money/decimal';
import type { EpochMs } from '../../domain/time/epoch';
import { kstHour, kstMonthKey } from '../../domain/time/kst-calendar';
import type { BacktestResult, EquitySample, TradeRecord } from '../result/backtest-result';

/** Win/loss tally of closed trades (sell fills) in one group of a pattern table. */
export interface WinRateRow {
  readonly key: string;
  readonly trades: number;
  readonly wins: number;
  /** Percent, or null when the group has no closed trade. */
  readonly winRatePct: number | null;
  /** Exact sum of net realised PnL, as a decimal string. */
  readonly pnlKrw: string;
}

/** One KST calendar month's return, compounded from the equity curve. */
export interface MonthReturn {
  /** `YYYY-MM` (KST). */
  readonly month: string;
  readonly returnPct: number;
}

/** Holding-time buckets, shortest first; a closed trade falls in the first whose bound exceeds it. */
export const HOLDING_BUCKETS = [
  { label: '< 5 min', maxMs: 5 * 60_000 },
  { label: '5–15 min', maxMs: 15 * 60_000 },
  { label: '15–60 min', maxMs: 60 * 60_000 },
  { label: '1–4 h', maxMs: 4 * 3_600_000 },
  { label: '4–24 h', maxMs: 24 * 3_600_000 },
  { label: '≥ 1 day', maxMs: Number.POSITIVE_INFINITY },
] as const;

/** Everything the page shows beyond the result itself, derived once so tests can check the numbers. */
export interface ReportModel {
  readonly monthly: readonly MonthReturn[];
  readonly byHour: readonly WinRateRow[];
  readonly byStrategy: readonly WinRateRow[];
  readonly byMarket: readonly WinRateRow[];
  readonly byHolding: readonly WinRateRow[];
}

interface Tally {
  trades: number;
  wins: number;
  pnl: Decimal;
}

function tallyRows(keys: readonly string[], tallies: Map<string, Tally>): WinRateRow[] {
  return keys.map((key) => {
    const t = tallies.get(key) ?? { trades: 0, wins: 0, pnl: ZERO };
    return {
      key,
      trades: t.trades,
      wins: t.wins,
      winRatePct: t.trades === 0 ? null : (100 * t.wins) / t.trades,
      pnlKrw: t.pnl.toFixed(),
    };
  });
}

function add(tallies: Map<string, Tally>, key: string, pnl: Decimal): void {
  const t = tallies.get(key) ?? { trades: 0, wins: 0, pnl: ZERO };
  t.trades += 1;
  if (pnl.gt(0)) t.wins += 1;
  t.pnl = t.pnl.plus(pnl);
  tallies.set(key, t);
}

/** Epoch ms of a trade's ISO time. */
export function tradeTime(t: TradeRecord): EpochMs {
  return Date.parse(t.time) as EpochMs;
}

interface Lot {
  time: number;
  volume: number;
}

/**
 * Holding time of each sell: the volume-weighted age of the buy lots it closes, matched first in,
 * first out per strategy and market (how the broker books positions). A sell with no open lot (a
 * position from before the window) has no holding time and is skipped from that table only.
 */
function holdingTimes(trades: readonly TradeRecord[]): Map<TradeRecord, number> {
  const lots = new Map<string, Lot[]>();
  const out = new Map<TradeRecord, number>();
  for (const t of trades) {
    const key = `${t.strategy}|${t.market}`;
    const queue = lots.get(key) ?? [];
    lots.set(key, queue);
    const vol = Number(t.volume);
    const at = tradeTime(t);
    if (t.side === 'bid') {
      queue.push({ time: at, volume: vol });
      continue;
    }
    let left = vol;
    let weighted = 0;
    let matched = 0;
    while (left > 1e-12 && queue.length > 0) {
      const lot = queue[0] as Lot;
      const take = Math.min(lot.volume, left);
      weighted += take * (at - lot.time);
      matched += take;
      left -= take;
      lot.volume -= take;
      if (lot.volume <= 1e-12) queue.shift();
    }
    if (matched > 0) out.set(t, weighted / matched);
  }
  return out;
}

function holdingLabel(ms: number): string {
  const found = HOLDING_BUCKETS.find((b) => ms < b.maxMs);
  return (found ?? HOLDING_BUCKETS[5]).label;
}

/**
 * Win rate by KST hour of day, strategy, market and holding time. A closed trade is a sell fill,
 * the same definition as the headline `winRate`, so the tables add up to the summary.
 */
export function patternTables(trades: readonly TradeRecord[]): Omit<ReportModel, 'monthly'> {
  const hours = new Map<string, Tally>();
  const strategies = new Map<string, Tally>();
  const markets = new Map<string, Tally>();
  const holding = new Map<string, Tally>();
  const held = holdingTimes(trades);
  for (const t of trades) {
    if (t.side !== 'ask') continue;
    const pnl = parseDecimal(t.pnlKrw);
    add(hours, String(kstHour(tradeTime(t))).padStart(2, '0'), pnl);
    add(strategies, t.strategy, pnl);
    add(markets, t.market, pnl);
    const ms = held.get(t);
    if (ms !== undefined) add(holding, holdingLabel(ms), pnl);
  }
  return {
    byHour: tallyRows(
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      hours,
    ),
    byStrategy: tallyRows([...strategies.keys()].sort(), strategies),
    byMarket: tallyRows([...markets.keys()].sort(), markets),
    byHolding: tallyRows(
      HOLDING_BUCKETS.map((b) => b.label),
      holding,
    ),
  };
}

/**
 * Monthly returns on the KST calendar: each month's last equity over the previous month's last
 * (the first month starts from the starting capital), so the months compound to the total return.
 */
export function monthlyReturns(curve: readonly EquitySample[], startEquity: number): MonthReturn[] {
  const ends = new Map<string, number>();
  for (const s of curve) ends.set(kstMonthKey(s.time as EpochMs), s.equity);
  const out: MonthReturn[] = [];
  let prev = startEquity;
  for (const [month, end] of ends) {
    out.push({ month, returnPct: prev > 0 ? (end / prev - 1) * 100 : 0 });
    prev = end;
  }
  return out;
}

/** Realised PnL per strategy accumulated over time, for the contribution chart. */
export interface ContributionSeries {
  /** Fill times (epoch ms), ascending, one per sell. */
  readonly times: readonly number[];
  /** Cumulative net PnL per strategy at each time, in KRW. */
  readonly series: Readonly<Record<string, readonly number[]>>;
}

/** Builds {@link ContributionSeries} from the trade list (sells realise PnL; buys add nothing). */
export function contributionSeries(trades: readonly TradeRecord[]): ContributionSeries {
  const sells = trades.filter((t) => t.side === 'ask');
  const names = [...new Set(sells.map((t) => t.strategy))].sort();
  const totals = new Map<string, Decimal>(names.map((n) => [n, ZERO]));
  const series: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const times: number[] = [];
  for (const t of sells) {
    totals.set(t.strategy, (totals.get(t.strategy) ?? ZERO).plus(parseDecimal(t.pnlKrw)));
    times.push(tradeTime(t));
    for (const n of names) series[n]?.push((totals.get(n) ?? ZERO).toNumber());
  }
  return { times, series };
}

/** Builds the whole {@link ReportModel} for a result. */
export function buildReportModel(result: BacktestResult): ReportModel {
  return {
    monthly: monthlyReturns(result.equityCurve, result.assumptions.capitalKrw),
    ...patternTables(result.trades),
  };
}
