import type { Market } from '../../market/market-id';
import type { MarketHistory } from './market-history';
import type { PairModel } from './pair-model';

/** Which way the pair's spread (ln y − β·ln x) is held: long = bought y against x, short = the reverse. */
export const SpreadPosition = { flat: 'flat', long: 'long', short: 'short' } as const;
/** One of {@link SpreadPosition}. */
export type SpreadPosition = (typeof SpreadPosition)[keyof typeof SpreadPosition];

/** One market's history and the pairs it belongs to (one Map lookup per bar reaches both). */
export interface MarketEntry {
  /** Replaced when a snapshot is loaded; pairs reach it through the entry, which stays. */
  history: MarketHistory;
  readonly pairs: PairState[];
}

/**
 * What the strategy knows of one pair between bars. Mutated in place on every common minute (the
 * per-bar path allocates nothing); {@link PAIR_FIELDS} names the part a snapshot carries.
 */
export interface PairState {
  readonly y: Market;
  readonly x: Market;
  /** The legs' entries (not state: a snapshot carries PAIR_FIELDS only). */
  readonly yEntry: MarketEntry;
  readonly xEntry: MarketEntry;
  /** Open time of the last minute both legs traded (the pair's last step). */
  lastTime: number;
  /** Common minutes stepped so far (saturates at lookbackBars): the formation window is full at lookbackBars. */
  matched: number;
  barsSinceTest: number;
  model?: PairModel;
  z: number;
  position: SpreadPosition;
  /** After a stop-out, no re-entry on the same side until the spread has come back inside exitZ. */
  blocked: SpreadPosition;
}

/** Fields of a pair that change with the bars (what a snapshot carries). */
export const PAIR_FIELDS = [
  'lastTime',
  'matched',
  'barsSinceTest',
  'model',
  'z',
  'position',
  'blocked',
] as const;

/** A pair that has seen no bar: no model, flat, nothing blocked. */
export function freshPair(y: Market, x: Market, yEntry: MarketEntry, xEntry: MarketEntry): PairState {
  return {
    y,
    x,
    yEntry,
    xEntry,
    lastTime: Number.NEGATIVE_INFINITY,
    matched: 0,
    barsSinceTest: 0,
    z: Number.NaN,
    position: SpreadPosition.flat,
    blocked: SpreadPosition.flat,
  };
}

/** The snapshot part of a pair ({@link PAIR_FIELDS}), as a plain record for the state codec. */
export function pairFields(p: PairState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PAIR_FIELDS) out[f] = p[f];
  return out;
}
