import { numberOf, unitsOf } from '../money/decimal-units';
import type { QuoteLevel } from '../trading/decision';

/**
 * A decision's level list read into columns, for the ladder checks (checkLadder) when the levels
 * are not the whole-won path's own columns (a ladder built on the decimal steps, or the eager
 * ladders at a run's start): per level the doubles `numberOf(price)` and `numberOf(volume)`, the
 * side, and for asks `unitsOf(volume, 8)` (undefined off the 1e-8 grid; not read for bids). Out of
 * checkLadder's own body on purpose: the backtest takes this path for a few hundred ladders a run
 * and the integer columns for every other, and code that ran once is compiled into its caller
 * (TurboFan compiles every branch that has type feedback; a call made rarely is not inlined).
 */
export interface LevelListColumns {
  count: number;
  /** Some level is a bid / some level is not a bid (the checks' position-count and holdings reads). */
  hasBid: boolean;
  hasAsk: boolean;
  readonly won: number[];
  readonly units: (number | undefined)[];
  readonly volumes: number[];
  readonly asks: boolean[];
}

/**
 * The one scratch set of columns {@link levelListColumns} writes: overwritten by the next list,
 * read only while checking the ladder just read (checkLadder is not reentrant).
 */
const LIST_COLUMNS: LevelListColumns = {
  count: 0,
  hasBid: false,
  hasAsk: false,
  won: [],
  units: [],
  volumes: [],
  asks: [],
};

/** `levels` as columns (see {@link LevelListColumns}), in a scratch object overwritten by the next call. */
export function levelListColumns(levels: readonly QuoteLevel[]): LevelListColumns {
  const c = LIST_COLUMNS;
  const count = levels.length;
  let hasBid = false;
  let hasAsk = false;
  for (let i = 0; i < count; i++) {
    const lv = levels[i] as QuoteLevel;
    const ask = lv.side === 'ask';
    if (lv.side === 'bid') hasBid = true;
    else hasAsk = true;
    c.won[i] = numberOf(lv.price);
    c.volumes[i] = numberOf(lv.volume);
    c.asks[i] = ask;
    c.units[i] = ask ? unitsOf(lv.volume, 8) : undefined;
  }
  c.count = count;
  c.hasBid = hasBid;
  c.hasAsk = hasAsk;
  return c;
}
