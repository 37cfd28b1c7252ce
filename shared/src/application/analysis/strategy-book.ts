import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { createStrategy } from '../../domain/strategies/create-strategy';
import { SnapshotMismatchError, type StateNode } from '../../domain/strategies/state-codec';
import type { Strategy, StrategySignal } from '../../domain/strategies/strategy';
import type { StrategyParamsByName } from '../../domain/strategies/strategy-params';
import { type ContextFor, collectSignals } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import { MS } from '../../domain/time/epoch';
import { StrategyName as Names, type StrategyName } from '../../domain/trading/strategy-name';
import type { StrategySnapshot } from '../../ports/strategy-state-store';
import { marketSnapshotKey, SNAPSHOT_BODY_VERSION } from './snapshot-keys';

/** A strategy that has to replay stored candles for a market before it can continue, and why. */
export interface WarmUpNeed {
  readonly market: Market;
  readonly strategy: StrategyName;
  readonly reason: string;
}

interface MarketBody {
  readonly v: number;
  readonly strategies: Readonly<Record<string, { readonly key: string; readonly state: StateNode }>>;
}

/** Context for bars replayed during warm-up or catch-up: strategy state never depends on it. */
const replayContext: ContextFor = (_s, _m, now) => ({ now, positionVolume: 0, availableKrw: 0 });

/**
 * The minute analysis' strategies for the configured markets with their incremental state: restored
 * from the per-market snapshots, warmed up from stored candles where a snapshot is missing or does
 * not fit, then advanced one closed bar at a time. A warm function keeps its book between
 * invocations and only re-reads it when another writer changed a snapshot.
 */
export class StrategyBook {
  private strategyList: Strategy[];
  private readonly lastBar = new Map<Market, EpochMs>();
  private readonly versions = new Map<string, number>();

  constructor(
    readonly markets: readonly Market[],
    private readonly params: StrategyParamsByName,
    readonly names: readonly StrategyName[],
  ) {
    this.strategyList = names.map((n) => createStrategy(n, params, markets));
  }

  /** The strategies in canonical order (what steps and snapshots iterate). */
  get strategies(): readonly Strategy[] {
    return this.strategyList;
  }

  /** Markets, strategies and their state keys: a book only serves a run with the same identity. */
  get identity(): string {
    return `${this.markets.join(',')}|${this.strategyList.map((s) => s.stateKey ?? s.name).join(',')}`;
  }

  /** Close time of the newest bar folded into a market's state, undefined before any. */
  lastBarAt(market: Market): EpochMs | undefined {
    return this.lastBar.get(market);
  }

  /** Version of a snapshot key as this book last read or wrote it (0 = none). */
  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  /** Records the version the store now holds for a key, after this book wrote it. */
  noteVersion(key: string, version: number): void {
    this.versions.set(key, version);
  }

  /**
   * Restores each market from its snapshot (absent, unreadable, of another layout or other
   * parameters, or closed before `oldestUsable`: the strategy warms up instead) and returns what
   * must warm up. stat_arb's pairs span markets, so any market it cannot restore rebuilds it whole.
   */
  restore(snapshots: ReadonlyMap<string, StrategySnapshot>, oldestUsable: EpochMs): WarmUpNeed[] {
    const needs: WarmUpNeed[] = [];
    for (const market of this.markets) {
      const key = marketSnapshotKey(market);
      const snap = snapshots.get(key);
      if (snap !== undefined) this.versions.set(key, snap.version);
      const body = snap === undefined ? undefined : parseBody(snap.body);
      let why: string | undefined;
      if (snap === undefined) why = 'no snapshot stored';
      else if (body === undefined) why = 'snapshot unreadable';
      else if (snap.lastBarAt < oldestUsable)
        why = `snapshot from ${new Date(snap.lastBarAt).toISOString()} is too old`;
      if (why !== undefined || snap === undefined || body === undefined) {
        for (const s of this.strategyList) needs.push({ market, strategy: s.name, reason: why ?? '' });
        continue;
      }
      this.lastBar.set(market, snap.lastBarAt);
      for (const s of this.strategyList) {
        const saved = body.strategies[s.name];
        const reason = this.load(s, market, saved);
        if (reason !== undefined) needs.push({ market, strategy: s.name, reason });
      }
    }
    if (needs.some((n) => n.strategy === Names.statArb)) {
      this.strategyList = this.strategyList.map((s) =>
        s.name === Names.statArb ? createStrategy(Names.statArb, this.params, this.markets) : s,
      );
      const missing = new Set(needs.filter((n) => n.strategy === Names.statArb).map((n) => n.market));
      for (const market of this.markets)
        if (!missing.has(market))
          needs.push({
            market,
            strategy: Names.statArb,
            reason: 'stat_arb pairs are rebuilt with another market',
          });
    }
    return needs;
  }

  private load(
    s: Strategy,
    market: Market,
    saved: MarketBody['strategies'][string] | undefined,
  ): string | undefined {
    if (s.loadMarketState === undefined || s.stateKey === undefined)
      return 'strategy has no snapshot support';
    if (saved === undefined) return 'not in the snapshot';
    if (saved.key !== s.stateKey) return `saved for ${saved.key}, running ${s.stateKey}`;
    try {
      s.loadMarketState(market, saved.state);
      return undefined;
    } catch (error) {
      if (error instanceof SnapshotMismatchError) return `snapshot does not fit: ${error.message}`;
      throw error;
    }
  }

  /**
   * Replays stored candles (oldest first per market, ending at `until` per market) into the
   * strategies that need them, in the same time order as live bars; their signals are history and
   * are dropped. Markets without a snapshot start at the last replayed bar.
   */
  warmUp(needs: readonly WarmUpNeed[], candles: ReadonlyMap<Market, readonly Candle[]>): void {
    const who = new Map<Market, Set<StrategyName>>();
    for (const n of needs) {
      const set = who.get(n.market) ?? new Set<StrategyName>();
      set.add(n.strategy);
      who.set(n.market, set);
    }
    const steps = new Map<number, Candle[]>();
    for (const [market, names] of who)
      for (const bar of candles.get(market) ?? []) {
        if (names.size === 0) break;
        const list = steps.get(bar.openTime) ?? [];
        list.push(bar);
        steps.set(bar.openTime, list);
      }
    for (const openTime of [...steps.keys()].sort((a, b) => a - b)) {
      const bars = (steps.get(openTime) as Candle[]).sort((a, b) => (a.market < b.market ? -1 : 1));
      for (const bar of bars) {
        const names = who.get(bar.market) as Set<StrategyName>;
        const close = (bar.openTime + MS.minute) as EpochMs;
        for (const s of this.strategyList)
          if (names.has(s.name) && s.markets.includes(bar.market))
            s.onBar(bar, replayContext(s, bar.market, close));
        const last = this.lastBar.get(bar.market);
        if (last === undefined || close > last) this.lastBar.set(bar.market, close);
      }
    }
  }

  /**
   * Shows one time step (bars sharing an open time, sorted by market) to every strategy and returns
   * the signals by market. `contextFor` undefined = a catch-up step whose signals are history.
   */
  step(
    bars: readonly Candle[],
    now: EpochMs,
    contextFor?: ContextFor,
  ): ReadonlyMap<Market, StrategySignal[]> {
    const signals = collectSignals(this.strategyList, bars, now, { contextFor: contextFor ?? replayContext });
    for (const bar of bars) this.lastBar.set(bar.market, (bar.openTime + MS.minute) as EpochMs);
    return contextFor === undefined ? new Map() : signals;
  }

  /** The snapshot body of a market: every strategy's state under its state key. */
  snapshotBody(market: Market): string {
    const strategies: Record<string, { key: string; state: StateNode }> = {};
    for (const s of this.strategyList) {
      const state = s.saveMarketState?.(market);
      if (state !== undefined && s.stateKey !== undefined) strategies[s.name] = { key: s.stateKey, state };
    }
    const body: MarketBody = { v: SNAPSHOT_BODY_VERSION, strategies };
    return JSON.stringify(body);
  }
}

function parseBody(text: string): MarketBody | undefined {
  try {
    const body = JSON.parse(text) as MarketBody;
    if (body === null || typeof body !== 'object' || body.v !== SNAPSHOT_BODY_VERSION) return undefined;
    if (body.strategies === null || typeof body.strategies !== 'object') return undefined;
    return body;
  } catch {
    return undefined;
  }
}
