import { zScore } from '../../indicators/rolling-z-score';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import { StrategyName } from '../../trading/strategy-name';
import type { StrategySignal } from '../strategy';
import type { StatArbParams } from '../strategy-params';
import { commonWindow, type MarketHistory } from './market-history';
import { calibratePair } from './pair-model';
import { type PairState, SpreadPosition } from './pair-state';

/**
 * Conviction of a pair entry. An entry is emitted only when the pair is cointegrated, reverts fast
 * enough and |z| lies in [entryZ, stopZ), so there is no weaker kind of entry to grade. It used to be
 * |z|/stopZ (≈ 0.57 at entry with the defaults), which silenced the strategy in the ensemble:
 * stat_arb holds 0.2 of the 0.7 directional weight, so a lone entry scored 0.2/0.7 × 0.57 ≈ 0.16,
 * under the 0.25 minScore, and became a hold — not a refusal, so nothing showed. A pair signal
 * rarely coincides with a directional strategy's view of the same market in the same minute, so
 * waiting for agreement meant almost never trading (5 of 26 entries on a synthetic cointegrated
 * pair). At full strength a lone entry scores 0.29 with the default weights and trades passively at
 * a fraction of the per-trade cap; a directional strategy voting the other way still cancels it.
 * Run alone, stat_arb is the whole vote and enters at full size, as a taker.
 */
export const ENTRY_STRENGTH = 1;

/** What a pair's step borrows from the strategy: its parameters, the re-test stagger and scratch windows. */
export interface PairStepContext {
  readonly params: StatArbParams;
  /** First re-test delay of each pair (see the staggering in StatArbStrategy). */
  readonly offsets: ReadonlyMap<PairState, number>;
  /** The formation window of the pair being re-tested (calibratePair reads it, keeps nothing). */
  readonly windowY: Float64Array;
  readonly windowX: Float64Array;
}

/**
 * One common minute of a pair: count it, (re)calibrate on schedule, update the z-score and apply the
 * trading rule: drop a pair that stopped being tradable, stop out or exit an open spread, else enter
 * when |z| reached entryZ (below stopZ, and not on a side blocked by an earlier stop). Appends the
 * legs' signals to `out`. Kept apart from the strategy class (which routes bars to pairs, keeps the
 * histories and snapshots) because this is what changes when the pair-trading rule changes.
 *
 * Spot-only (Upbit has no shorting): an entry buys the cheap leg and sells the rich one (a sell only
 * reduces a holding); an exit sells the long leg and gives the short leg `flat`, because re-buying a
 * leg that was never shorted would open a fresh, unhedged long.
 */
export function stepPair(
  pair: PairState,
  hy: MarketHistory,
  hx: MarketHistory,
  at: EpochMs,
  out: StrategySignal[],
  c: PairStepContext,
): void {
  const ly = hy.lastLog;
  const lx = hx.lastLog;
  const { lookbackBars, retestEveryBars } = c.params;
  if (pair.matched < lookbackBars) pair.matched++;
  pair.barsSinceTest++;
  if (pair.matched < lookbackBars) return;
  if (pair.model === undefined || pair.barsSinceTest >= retestEveryBars) {
    // Legs that shared fewer than lookbackBars of their last 2 × lookbackBars minutes: too sparse
    // to re-test; the pair keeps its model (or waits for one).
    if (commonWindow(hy, hx, c.windowY, c.windowX)) {
      pair.barsSinceTest = pair.model === undefined ? (c.offsets.get(pair) ?? 0) : 0;
      pair.model = calibratePair(c.windowY, c.windowX, c.params);
    }
  }
  const m = pair.model;
  if (m === undefined) return;
  pair.z = zScore(ly - m.beta * lx - m.alpha, m.spreadMean, m.spreadStd);
  const z = pair.z;
  // The z text is formatted only for a signal: per bar, toFixed cost more than the pair's step.
  if (!m.tradable) {
    if (pair.position !== SpreadPosition.flat)
      exitPair(pair, at, `pair dropped: ${m.verdict}; ${zText(z)}`, out);
    pair.blocked = SpreadPosition.flat;
    return;
  }
  const { entryZ, exitZ, stopZ } = c.params;
  if (Math.abs(z) < exitZ) pair.blocked = SpreadPosition.flat;
  const held = pair.position;
  if (held !== SpreadPosition.flat) {
    // A long spread stops out at z ≤ −stopZ, else exits at z ≥ −exitZ; a short one the mirror
    // image. Every comparison made and every exit taken at one call site, whatever the side and
    // kind: a stop (or a first short) is rare, and as a branch of its own its operations had no type
    // feedback when this step was optimised, so the first stop of a stat_arb year (day 13) threw
    // the step's code away. A stop blocks re-entry on its side until the spread is back inside exitZ.
    const long = held === SpreadPosition.long;
    const belowStop = z <= -stopZ;
    const aboveStop = z >= stopZ;
    const aboveExit = z >= -exitZ;
    const belowExit = z <= exitZ;
    const stop = long ? belowStop : aboveStop;
    const exit = long ? aboveExit : belowExit;
    pair.blocked = stop ? held : pair.blocked;
    if (stop || exit) exitPair(pair, at, exitReason(long, stop, z, stopZ, exitZ), out);
    return;
  }
  // Full conviction: an entry is only emitted for a pair that passed every test (see ENTRY_STRENGTH).
  const strength = ENTRY_STRENGTH;
  if (z <= -entryZ && z > -stopZ && pair.blocked !== SpreadPosition.long) {
    pair.position = SpreadPosition.long;
    const why = `entry long spread ${zText(z)} ≤ -${entryZ}; ${m.verdict}`;
    out.push(signal(pair.y, at, 'buy', strength, `${why}; buy ${pair.y} (cheap leg)`));
    out.push(
      signal(pair.x, at, 'sell', strength, `${why}; sell ${pair.x} (rich leg, spot-only: reduce holding)`),
    );
  } else if (z >= entryZ && z < stopZ && pair.blocked !== SpreadPosition.short) {
    pair.position = SpreadPosition.short;
    const why = `entry short spread ${zText(z)} ≥ ${entryZ}; ${m.verdict}`;
    out.push(signal(pair.x, at, 'buy', strength, `${why}; buy ${pair.x} (cheap leg)`));
    out.push(
      signal(pair.y, at, 'sell', strength, `${why}; sell ${pair.y} (rich leg, spot-only: reduce holding)`),
    );
  }
}

function exitPair(pair: PairState, at: EpochMs, why: string, out: StrategySignal[]): void {
  const [longLeg, shortLeg] = pair.position === SpreadPosition.long ? [pair.y, pair.x] : [pair.x, pair.y];
  out.push(signal(longLeg, at, 'sell', 1, `${why}; close long ${longLeg}`));
  out.push(signal(shortLeg, at, 'flat', 0, `${why}; spot-only: ${shortLeg} leg not re-bought`));
  pair.position = SpreadPosition.flat;
}

/** The reason of a spread's exit, by its side and kind (a stop or a return inside exitZ). */
function exitReason(long: boolean, stop: boolean, z: number, stopZ: number, exitZ: number): string {
  if (long) return stop ? `stop ${zText(z)} ≤ -${stopZ}` : `exit ${zText(z)} ≥ -${exitZ}`;
  return stop ? `stop ${zText(z)} ≥ ${stopZ}` : `exit ${zText(z)} ≤ ${exitZ}`;
}

function zText(z: number): string {
  return `z=${z.toFixed(2)}`;
}

function signal(
  market: Market,
  at: EpochMs,
  direction: StrategySignal['direction'],
  strength: number,
  reason: string,
): StrategySignal {
  return { strategy: StrategyName.statArb, market, at, direction, strength, reason };
}
