import { zScore } from '../../indicators/rolling-z-score';
import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import { StrategyName } from '../../trading/strategy-name';
import { NO_SIGNALS } from '../aggregated-bars';
import { stateKeyOf } from '../market-states';
import { encodeState, restoreState, SnapshotMismatchError, type StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { StatArbParams } from '../strategy-params';
import { commonWindow, MarketHistory } from './market-history';
import { calibratePair, type PairModel } from './pair-model';

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

/** Which way the pair's spread (ln y − β·ln x) is held: long = bought y against x, short = the reverse. */
export const SpreadPosition = { flat: 'flat', long: 'long', short: 'short' } as const;
/** One of {@link SpreadPosition}. */
export type SpreadPosition = (typeof SpreadPosition)[keyof typeof SpreadPosition];

/** Dashboard view of one pair: its latest calibration, z-score and spread position. */
export interface PairStatus {
  readonly y: Market;
  readonly x: Market;
  readonly model?: PairModel;
  readonly z: number;
  readonly position: SpreadPosition;
}

/** One market's history and the pairs it belongs to (one Map lookup per bar reaches both). */
interface MarketEntry {
  /** Replaced when a snapshot is loaded; pairs reach it through the entry, which stays. */
  history: MarketHistory;
  readonly pairs: PairState[];
}

interface PairState {
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
const PAIR_FIELDS = ['lastTime', 'matched', 'barsSinceTest', 'model', 'z', 'position', 'blocked'] as const;

/**
 * Pairs trading on every pair of the configured markets (Engle–Granger on log closes, OU half-life,
 * z-score entry/exit/stop). Bars of the two legs are matched by `openTime`; a minute one leg did not
 * trade is skipped for the pair rather than filled forward, so no stale price enters a regression.
 *
 * Spot-only constraint (Upbit has no shorting): the "short" leg of a pair trade can only sell coins
 * already held. So an entry emits `buy` on the cheap leg and `sell` on the rich leg — the sell
 * reduces an existing holding, and with nothing held the ensemble/risk layer turns it into no trade.
 * On exit only the long leg is closed (`sell`); the short leg gets `flat`, because re-buying a leg
 * that was never actually shorted would open a fresh, unhedged long. In practice the strategy is a
 * long-only relative-value trade: buy what is cheap relative to its cointegrated partner, sell it
 * when the spread has reverted.
 *
 * Indexed by market: each market's recent log closes are kept once ({@link MarketHistory}) and a
 * bar only visits the pairs of its market, so a minute costs O(pairs), not O(markets × pairs). The
 * formation window of a pair is its last `lookbackBars` common minutes, taken from the two
 * histories when the pair is (re)calibrated. Re-tests are staggered: pair k (in market-pair order)
 * is first re-tested `retestEveryBars − (k mod retestEveryBars)` bars after its first calibration,
 * then every `retestEveryBars`, so the pairs of many markets do not all re-run Engle–Granger in the
 * same minute (the first pair keeps the plain schedule).
 *
 * The spread position is the strategy's own view, derived from the bar sequence alone (so backtest
 * and live agree bar for bar); the executor's fills decide what is really held.
 */
export class StatArbStrategy implements Strategy {
  readonly name = StrategyName.statArb;
  readonly warmupBars: number;
  readonly stateKey: string;
  private readonly pairs: PairState[] = [];
  private readonly offsets = new Map<PairState, number>();
  private readonly entries = new Map<Market, MarketEntry>();
  private readonly emitted: StrategySignal[] = [];
  // The formation window of the pair being re-tested (calibratePair reads it, keeps nothing).
  private readonly windowY: Float64Array;
  private readonly windowX: Float64Array;

  constructor(
    private readonly params: StatArbParams,
    readonly markets: readonly Market[],
  ) {
    if (!(params.exitZ >= 0 && params.entryZ > params.exitZ && params.stopZ > params.entryZ))
      throw new RangeError(
        `stat_arb needs 0 ≤ exitZ < entryZ < stopZ, got exit=${params.exitZ} entry=${params.entryZ} stop=${params.stopZ}`,
      );
    if (markets.length < 2)
      throw new RangeError(
        `stat_arb trades pairs of markets: it needs at least two markets, got ${markets.length}`,
      );
    if (!(Number.isInteger(params.lookbackBars) && params.lookbackBars >= 30))
      throw new RangeError(`stat_arb lookbackBars must be an integer ≥ 30, got ${params.lookbackBars}`);
    if (!(Number.isInteger(params.retestEveryBars) && params.retestEveryBars >= 1))
      throw new RangeError(
        `stat_arb retestEveryBars must be a positive integer, got ${params.retestEveryBars}`,
      );
    this.warmupBars = params.lookbackBars;
    this.windowY = new Float64Array(params.lookbackBars);
    this.windowX = new Float64Array(params.lookbackBars);
    for (const m of markets) this.entries.set(m, { history: this.freshHistory(), pairs: [] });
    for (let i = 0; i < markets.length; i++)
      for (let j = i + 1; j < markets.length; j++) {
        const yEntry = this.entries.get(markets[i] as Market) as MarketEntry;
        const xEntry = this.entries.get(markets[j] as Market) as MarketEntry;
        const pair = freshPair(markets[i] as Market, markets[j] as Market, yEntry, xEntry);
        this.offsets.set(pair, this.pairs.length % params.retestEveryBars);
        this.pairs.push(pair);
        yEntry.pairs.push(pair);
        xEntry.pairs.push(pair);
      }
    const none = '' as Market;
    const noEntry: MarketEntry = { history: this.freshHistory(), pairs: [] };
    this.stateKey = stateKeyOf(this.name, params, {
      h: this.freshHistory(),
      p: [pairFields(freshPair(none, none, noEntry, noEntry))],
    });
  }

  /** Current state of every pair (for the dashboard and tests). */
  pairStatus(): readonly PairStatus[] {
    return this.pairs.map((p) => ({
      y: p.y,
      x: p.x,
      ...(p.model === undefined ? {} : { model: p.model }),
      z: p.z,
      position: p.position,
    }));
  }

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    if (bar.timeframe !== this.params.timeframe) return NO_SIGNALS;
    if (!(bar.close > 0))
      throw new RangeError(`stat_arb: ${bar.market} close must be positive, got ${bar.close}`);
    const entry = this.entries.get(bar.market);
    if (entry === undefined || !(bar.openTime > entry.history.lastTime)) return NO_SIGNALS;
    entry.history.push(bar.openTime, Math.log(bar.close));
    // One scratch array: a fresh one per bar was garbage on most bars. Emptied first, so a step
    // that threw on an earlier bar leaves nothing behind.
    const out = this.emitted;
    if (out.length !== 0) out.length = 0;
    for (const pair of entry.pairs) {
      const hy = pair.yEntry.history;
      const hx = pair.xEntry.history;
      if (hy.lastTime !== hx.lastTime || hy.lastTime <= pair.lastTime) continue;
      pair.lastTime = hy.lastTime;
      this.step(pair, hy, hx, ctx.now, out);
    }
    return out.length === 0 ? NO_SIGNALS : out.splice(0);
  }

  /**
   * Market `market`'s part of the state: its log-close history and the pairs whose first leg it is
   * (so each pair is stored once, under one market).
   */
  saveMarketState(market: Market): StateNode | undefined {
    const history = this.entries.get(market)?.history;
    if (history === undefined) return undefined;
    const pairs = this.pairs.filter((p) => p.y === market).map((p) => ({ x: p.x, ...pairFields(p) }));
    return encodeState({ h: history, p: pairs });
  }

  /** Restores what {@link saveMarketState} saved; throws SnapshotMismatchError when it does not fit. */
  loadMarketState(market: Market, node: StateNode): void {
    const entry = this.entries.get(market);
    if (entry === undefined) return;
    const own = this.pairs.filter((p) => p.y === market);
    const next = {
      h: this.freshHistory(),
      p: own.map((p) => ({ x: p.x, ...pairFields(freshPair(p.y, p.x, p.yEntry, p.xEntry)) })),
    };
    restoreState(next, node, market);
    if (next.p.length !== own.length || next.p.some((p, i) => p.x !== own[i]?.x))
      throw new SnapshotMismatchError(
        `${market}: the snapshot holds other pairs than the configured markets`,
      );
    entry.history = next.h;
    own.forEach((pair, i) => {
      const saved = next.p[i] as Record<string, unknown>;
      const target = pair as unknown as Record<string, unknown>;
      for (const f of PAIR_FIELDS) target[f] = saved[f];
    });
  }

  private freshHistory(): MarketHistory {
    return new MarketHistory(2 * this.params.lookbackBars);
  }

  private step(
    pair: PairState,
    hy: MarketHistory,
    hx: MarketHistory,
    at: EpochMs,
    out: StrategySignal[],
  ): void {
    const ly = hy.lastLog;
    const lx = hx.lastLog;
    const { lookbackBars, retestEveryBars } = this.params;
    if (pair.matched < lookbackBars) pair.matched++;
    pair.barsSinceTest++;
    if (pair.matched < lookbackBars) return;
    if (pair.model === undefined || pair.barsSinceTest >= retestEveryBars) {
      // Legs that shared fewer than lookbackBars of their last 2 × lookbackBars minutes: too sparse
      // to re-test; the pair keeps its model (or waits for one).
      if (commonWindow(hy, hx, this.windowY, this.windowX)) {
        pair.barsSinceTest = pair.model === undefined ? (this.offsets.get(pair) ?? 0) : 0;
        pair.model = calibratePair(this.windowY, this.windowX, this.params);
      }
    }
    const m = pair.model;
    if (m === undefined) return;
    pair.z = zScore(ly - m.beta * lx - m.alpha, m.spreadMean, m.spreadStd);
    const z = pair.z;
    // The z text is formatted only for a signal: per bar, toFixed cost more than the pair's step.
    if (!m.tradable) {
      if (pair.position !== SpreadPosition.flat)
        this.exit(pair, at, `pair dropped: ${m.verdict}; ${zText(z)}`, out);
      pair.blocked = SpreadPosition.flat;
      return;
    }
    const { entryZ, exitZ, stopZ } = this.params;
    if (Math.abs(z) < exitZ) pair.blocked = SpreadPosition.flat;
    if (pair.position === SpreadPosition.long) {
      if (z <= -stopZ) {
        pair.blocked = SpreadPosition.long;
        this.exit(pair, at, `stop ${zText(z)} ≤ -${stopZ}`, out);
      } else if (z >= -exitZ) this.exit(pair, at, `exit ${zText(z)} ≥ -${exitZ}`, out);
      return;
    }
    if (pair.position === SpreadPosition.short) {
      if (z >= stopZ) {
        pair.blocked = SpreadPosition.short;
        this.exit(pair, at, `stop ${zText(z)} ≥ ${stopZ}`, out);
      } else if (z <= exitZ) this.exit(pair, at, `exit ${zText(z)} ≤ ${exitZ}`, out);
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

  private exit(pair: PairState, at: EpochMs, why: string, out: StrategySignal[]): void {
    const [longLeg, shortLeg] = pair.position === SpreadPosition.long ? [pair.y, pair.x] : [pair.x, pair.y];
    out.push(signal(longLeg, at, 'sell', 1, `${why}; close long ${longLeg}`));
    out.push(signal(shortLeg, at, 'flat', 0, `${why}; spot-only: ${shortLeg} leg not re-bought`));
    pair.position = SpreadPosition.flat;
  }
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

function freshPair(y: Market, x: Market, yEntry: MarketEntry, xEntry: MarketEntry): PairState {
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

function pairFields(p: PairState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PAIR_FIELDS) out[f] = p[f];
  return out;
}

/** Builds the stat-arb strategy over all pairs of `markets` (order matters: the earlier market is y). */
export function createStatArb(params: StatArbParams, markets: readonly Market[]): StatArbStrategy {
  return new StatArbStrategy(params, markets);
}
