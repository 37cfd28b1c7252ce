import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { StrategyName } from '../../trading/strategy-name';
import { NO_SIGNALS } from '../aggregated-bars';
import { stateKeyOf } from '../market-states';
import { encodeState, restoreStateRoot, SnapshotMismatchError, type StateNode } from '../state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../strategy';
import type { StatArbParams } from '../strategy-params';
import { MarketHistory } from './market-history';
import type { PairModel } from './pair-model';
import {
  freshPair,
  type MarketEntry,
  PAIR_FIELDS,
  type PairState,
  pairFields,
  type SpreadPosition,
} from './pair-state';
import { type PairStepContext, stepPair } from './pair-step';

/** Dashboard view of one pair: its latest calibration, z-score and spread position. */
export interface PairStatus {
  readonly y: Market;
  readonly x: Market;
  readonly model?: PairModel;
  readonly z: number;
  readonly position: SpreadPosition;
}

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
  private readonly stepContext: PairStepContext;

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
    this.stepContext = {
      params,
      offsets: this.offsets,
      windowY: new Float64Array(params.lookbackBars),
      windowX: new Float64Array(params.lookbackBars),
    };
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
      stepPair(pair, hy, hx, ctx.now, out, this.stepContext);
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
    restoreStateRoot(next, node, market);
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
}

/** Builds the stat-arb strategy over all pairs of `markets` (order matters: the earlier market is y). */
export function createStatArb(params: StatArbParams, markets: readonly Market[]): StatArbStrategy {
  return new StatArbStrategy(params, markets);
}
