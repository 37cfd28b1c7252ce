import type { Market } from '../../domain/market/market-id';
import { numberOf } from '../../domain/money/decimal-units';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { Fill } from '../../domain/trading/fill';

/** Bars after a maker fill at which its mark-out is taken. */
export const MARKOUT_HORIZONS = [1, 5, 30] as const;
/** One of {@link MARKOUT_HORIZONS}, as the JSON key it is written under. */
export type MarkoutKey = `${(typeof MARKOUT_HORIZONS)[number]}`;

/**
 * A maker fill's mark-outs in bps per horizon: the market's close `N` bars after the fill's bar
 * opened, against the fill price, signed so that positive means the price moved our way (up after
 * a buy, down after a sell). `null` when the run ended before the horizon.
 */
export type FillMarkouts = { [K in MarkoutKey]: number | null };

/** Where {@link MarkoutTracker} writes a maker fill's mark-outs once measured. */
export interface MarkoutSink {
  /** The mark-out of horizon `index` of {@link MARKOUT_HORIZONS} for the fill `row` of this sink. */
  setMarkout(row: number, index: number, bps: number): void;
}

/**
 * A maker fill's mark-outs kept in three fields. An object with the keys "1", "5" and "30" holds
 * them as array elements with room up to index 30: ~570 bytes per fill where these fields take
 * ~60, and a year of market making keeps ~150,000 maker fills in its trade list. Reads as
 * {@link FillMarkouts} and serialises exactly like it (`{"1":…,"5":…,"30":…}`), so `--json` is
 * unchanged.
 */
export class FillMarkoutValues implements FillMarkouts, MarkoutSink {
  h1: number | null = null;
  h5: number | null = null;
  h30: number | null = null;

  get '1'(): number | null {
    return this.h1;
  }
  set '1'(bps: number | null) {
    this.h1 = bps;
  }
  get '5'(): number | null {
    return this.h5;
  }
  set '5'(bps: number | null) {
    this.h5 = bps;
  }
  get '30'(): number | null {
    return this.h30;
  }
  set '30'(bps: number | null) {
    this.h30 = bps;
  }

  /**
   * Sets the mark-out of horizon `index` of {@link MARKOUT_HORIZONS}: a field store, where a write
   * through the numeric-like key (`out['5'] = …`) goes the slow way of an indexed accessor.
   */
  setAt(index: number, bps: number): void {
    if (index === 0) this.h1 = bps;
    else if (index === 1) this.h5 = bps;
    else this.h30 = bps;
  }

  /** {@link MarkoutSink}: this object holds one fill's mark-outs, so `row` is not needed. */
  setMarkout(_row: number, index: number, bps: number): void {
    this.setAt(index, bps);
  }

  /** The plain {@link FillMarkouts} object `JSON.stringify` writes in its place. */
  toJSON(): FillMarkouts {
    return { 1: this.h1, 5: this.h5, 30: this.h30 };
  }
}

/** Each market's close at the step being fed and at the end of the step before it. */
export interface StepCloses {
  close(market: Market): number | undefined;
  /** The close the market showed at the end of the previous step; undefined when it had none then. */
  previousClose(market: Market): number | undefined;
}

/** Mark-outs of a group of maker fills at one horizon. */
export interface MarkoutStats {
  /** Maker fills whose horizon fell inside the run. */
  readonly fills: number;
  /** Simple mean over those fills, in bps; null without fills. */
  readonly meanBps: number | null;
  /** Share of those fills whose mark-out was negative (picked off), in percent; null without fills. */
  readonly adversePct: number | null;
}

/** Mark-outs of every maker fill and per strategy, per horizon. */
export interface MarkoutSummary {
  readonly horizonsBars: readonly number[];
  readonly all: Readonly<Record<MarkoutKey, MarkoutStats>>;
  readonly byStrategy: Readonly<Record<string, Readonly<Record<MarkoutKey, MarkoutStats>>>>;
}

/** A maker fill waiting for its horizons: one entry serves all three (see MarkoutTracker). */
interface Pending {
  readonly sink: MarkoutSink;
  /** The fill's row in {@link sink}. */
  readonly row: number;
  readonly market: Market;
  /** The fill's strategy's tallies per horizon, and every strategy's ('*'). */
  readonly tallies: StrategyTallies;
  readonly sign: 1 | -1;
  readonly price: number;
  /** The fill's bar's open time; horizon i is due at `at + MARKOUT_HORIZONS[i] × barMs`. */
  readonly at: number;
}

interface Tally {
  n: number;
  sum: number;
  adverse: number;
}

/** One strategy's tallies, one per horizon, and whether any mark-out was counted for it yet. */
interface StrategyTallies {
  readonly byHorizon: readonly Tally[];
  counted: boolean;
}

const KEYS = MARKOUT_HORIZONS.map((h) => String(h) as MarkoutKey);

function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

function newTallies(): StrategyTallies {
  return { byHorizon: KEYS.map(() => ({ n: 0, sum: 0, adverse: 0 })), counted: false };
}

// Entries already marked at every horizon are dropped from the front in batches of this many (see
// MarkoutTracker.compact). Each drop copies only the entries within the longest horizon.
const COMPACT_AFTER = 64;

/**
 * Measures adverse selection as the run goes: each maker fill waits in one FIFO (fills arrive in
 * time order, so every horizon's targets do too) with one cursor per horizon, until the step whose
 * close is its target; a market with no bar at that instant is marked at its last close before it.
 * One entry per fill for its three horizons, read through cursors rather than shifted out of three
 * queues, and its strategy's tallies looked up once when it is tracked. Each (strategy, horizon)
 * tally still receives its mark-outs in fill order, so its floating sums are the same.
 * O(fills within 30 bars) memory.
 */
export class MarkoutTracker {
  private readonly entries: Pending[] = emptyRefs();
  /** Per horizon, the index in `entries` of the first fill not yet marked at that horizon. */
  private readonly cursors: number[] = KEYS.map(() => 0);
  private readonly all = newTallies();
  private readonly byStrategy = new Map<string, StrategyTallies>();

  constructor(private readonly barMs: number) {}

  /** Starts measuring a maker fill; returns the object the results are written into. */
  track(fill: Fill): FillMarkouts {
    const out = new FillMarkoutValues();
    this.trackInto(fill, out, 0);
    return out;
  }

  /**
   * Starts measuring a maker fill whose results go to row `row` of `sink` (a run's trade columns),
   * without an object per fill.
   */
  trackInto(fill: Fill, sink: MarkoutSink, row: number): void {
    let tallies = this.byStrategy.get(fill.strategy);
    if (tallies === undefined) {
      tallies = newTallies();
      this.byStrategy.set(fill.strategy, tallies);
    }
    this.compact();
    this.entries.push({
      sink,
      row,
      market: fill.market,
      tallies,
      sign: fill.side === 'bid' ? 1 : -1,
      // numberOf: toNumber's double (a price is positive) without printing the decimal to text.
      price: numberOf(fill.price),
      at: fill.at,
    });
  }

  /**
   * Feeds one step's close time and closes (every market seen so far). A horizon that falls between
   * two steps (no bar of any market at it) is marked at the previous step's close.
   */
  onStep(at: number, closes: StepCloses): void {
    const entries = this.entries;
    const cursors = this.cursors;
    for (let i = 0; i < cursors.length; i++) {
      let c = cursors[i] as number;
      if (c >= entries.length) continue;
      const offset = (MARKOUT_HORIZONS[i] as number) * this.barMs;
      while (c < entries.length) {
        const p = entries[c] as Pending;
        const target = p.at + offset;
        if (target > at) break;
        c += 1;
        const mark = (target < at ? closes.previousClose(p.market) : undefined) ?? closes.close(p.market);
        if (mark === undefined) continue;
        const bps = round2(((mark - p.price) / p.price) * 1e4 * p.sign);
        p.sink.setMarkout(p.row, i, bps);
        count(p.tallies, i, bps);
        count(this.all, i, bps);
      }
      cursors[i] = c;
    }
  }

  /**
   * Drops the entries marked at every horizon once there are COMPACT_AFTER of them, in place. Here,
   * where a fill is tracked, not in onStep: the step bookkeeping (StepCurves.record) inlines onStep,
   * and a drop there came first in optimised code without feedback for it (a strategy with few maker
   * fills reaches 64 only after the code is optimised), which threw record away and compiled it
   * again; and in place, because a new array in the field broke the field's constancy, on which the
   * optimised onStep depended. Entries are only added here, so the list stays as short as before.
   */
  private compact(): void {
    const cursors = this.cursors;
    // The longest horizon's cursor is the slowest: entries before it are done.
    const done = cursors[cursors.length - 1] as number;
    if (done < COMPACT_AFTER) return;
    const entries = this.entries;
    entries.copyWithin(0, done);
    entries.length -= done;
    for (let i = 0; i < cursors.length; i++) cursors[i] = (cursors[i] as number) - done;
  }

  /** Totals so far, strategies sorted by name. */
  summary(): MarkoutSummary {
    const stats = (t: StrategyTallies): Record<MarkoutKey, MarkoutStats> =>
      Object.fromEntries(
        KEYS.map((k, i) => {
          const x = t.byHorizon[i] as Tally;
          return [
            k,
            x.n === 0
              ? { fills: 0, meanBps: null, adversePct: null }
              : { fills: x.n, meanBps: round2(x.sum / x.n), adversePct: round2((100 * x.adverse) / x.n) },
          ];
        }),
      ) as Record<MarkoutKey, MarkoutStats>;
    // A strategy appears once one of its mark-outs was counted (not merely tracked).
    const names = [...this.byStrategy.keys()].filter((n) => this.byStrategy.get(n)?.counted === true).sort();
    return {
      horizonsBars: [...MARKOUT_HORIZONS],
      all: stats(this.all),
      byStrategy: Object.fromEntries(names.map((n) => [n, stats(this.byStrategy.get(n) as StrategyTallies)])),
    };
  }
}

function count(tallies: StrategyTallies, index: number, bps: number): void {
  const t = tallies.byHorizon[index] as Tally;
  t.n += 1;
  t.sum += bps;
  if (bps < 0) t.adverse += 1;
  tallies.counted = true;
}
