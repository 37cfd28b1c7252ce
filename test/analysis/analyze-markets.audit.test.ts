import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { type AnalysisMemory, analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import { marketSnapshotKey } from '../../shared/src/application/analysis/snapshot-keys';
import type { Candle } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import { MS } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import {
  closeOf,
  drainDecisions,
  memoryDeps,
  seedDeps,
  seededCandles,
  settingsFor,
} from './support/analysis-harness';

/**
 * Adversarial review (audit4) of the minute analysis: concurrent invocations for one minute, a bar
 * that arrives late, twice or out of order, and a market removed from and added back to the config.
 * The reference is always an uninterrupted world that saw the same bars on time.
 */
const MINUTES = 640;
const candles = seededCandles(2, MINUTES);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];
const both = settingsFor([BTC, ETH]);
const btcOnly = settingsFor([BTC]);

const bar = (m: Market, i: number): Candle => (candles.get(m) as Candle[])[i] as Candle;
const at = (i: number): number => closeOf(i) + 4 * MS.second;
const text = (ds: readonly Decision[]): string[] => ds.map((d) => JSON.stringify(d)).sort();

function seeded(last: number, clock: ManualClock) {
  return seedDeps(memoryDeps(clock), candles, last);
}

/** An uninterrupted world run minute by minute from 600 to `to`: the decisions of each minute. */
async function reference(to: number, settings = both): Promise<Map<number, string[]>> {
  const clock = new ManualClock(at(600));
  const deps = await seeded(to, clock);
  const memory: AnalysisMemory = {};
  const out = new Map<number, string[]>();
  for (let i = 600; i <= to; i++) {
    clock.set(at(i));
    await analyzeMarkets({ ...deps, memory }, { settings });
    out.set(i, text(await drainDecisions(deps.decisionQueue)));
  }
  return out;
}

describe('minute analysis under duplicate, concurrent and late invocations (audit4)', () => {
  it('two invocations of one minute in flight together (one warm, one cold) queue each decision once, and the next minute decides as if there had been one', async () => {
    const ref = await reference(602);
    const clock = new ManualClock(at(600));
    const deps = await seeded(602, clock);
    const memory: AnalysisMemory = {};
    await analyzeMarkets({ ...deps, memory }, { settings: both });
    await drainDecisions(deps.decisionQueue);
    clock.set(at(601));
    const runs = await Promise.all([
      analyzeMarkets({ ...deps, memory }, { settings: both }),
      analyzeMarkets(deps, { settings: both }),
      analyzeMarkets(deps, { settings: both }),
    ]);
    const sent = await drainDecisions(deps.decisionQueue);
    expect(new Set(sent.map((d) => d.id)).size).toBe(sent.length);
    expect(text(sent)).toEqual(ref.get(601));
    expect(runs.reduce((s, r) => s + r.decisionsSent, 0)).toBe(sent.length);
    // Coverage: the runs really raced (a later one met decisions or snapshots of an earlier one).
    expect(runs.some((r) => r.duplicateDecisions > 0 || r.alreadyAnalysed.length > 0)).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
    clock.set(at(602));
    await analyzeMarkets({ ...deps, memory }, { settings: both });
    expect(text(await drainDecisions(deps.decisionQueue))).toEqual(ref.get(602));
  });

  it('a bar stored twice (collector retry) changes nothing', async () => {
    const ref = await reference(602);
    const clock = new ManualClock(at(600));
    const deps = await seeded(602, clock);
    for (const i of [600, 601, 602]) await deps.marketData.putCandles([bar(BTC, i), bar(ETH, i)]);
    const got = new Map<number, string[]>();
    for (const i of [600, 601, 602]) {
      clock.set(at(i));
      await analyzeMarkets(deps, { settings: both });
      got.set(i, text(await drainDecisions(deps.decisionQueue)));
    }
    expect(got).toEqual(ref);
  });

  it('a late bar is caught up and never decided on after its minute; every decision id appears once', async () => {
    const ref = await reference(602);
    const clock = new ManualClock(at(600));
    const deps = await seeded(600, clock);
    await analyzeMarkets(deps, { settings: both });
    const all: Decision[] = await drainDecisions(deps.decisionQueue);
    // Minute 601: ETH's bar is late (the collector wrote BTC's only).
    await deps.marketData.putCandles([bar(BTC, 601)]);
    clock.set(at(601));
    const r601 = await analyzeMarkets(deps, { settings: both });
    expect(r601.noBarThisMinute).toEqual([ETH]);
    all.push(...(await drainDecisions(deps.decisionQueue)));
    // ETH's 601 arrives after 601's run, together with 602.
    await deps.marketData.putCandles([bar(ETH, 601), bar(BTC, 602), bar(ETH, 602)]);
    clock.set(at(602));
    await analyzeMarkets(deps, { settings: both });
    const r602 = await drainDecisions(deps.decisionQueue);
    expect(new Set(r602.map((d) => d.createdAt))).toEqual(new Set([closeOf(602)]));
    all.push(...r602);
    const eth = (xs: string[] | undefined) => (xs ?? []).filter((d) => d.includes(`"market":"${ETH}"`));
    expect(eth(text(r602))).toEqual(eth(ref.get(602)));
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    const snap = (await deps.snapshots.getSnapshots([marketSnapshotKey(ETH)])).get(marketSnapshotKey(ETH));
    expect(snap?.lastBarAt).toBe(closeOf(602));
  });

  it('a bar older than the snapshot (out of order) is never decided on and does not move the state back', async () => {
    const clock = new ManualClock(at(600));
    const deps = await seeded(602, clock);
    for (const i of [600, 601, 602]) {
      clock.set(at(i));
      await analyzeMarkets(deps, { settings: both });
    }
    await drainDecisions(deps.decisionQueue);
    const before = await deps.snapshots.getSnapshots([marketSnapshotKey(BTC)]);
    // The collector rewrites minute 601 with a different close after 602 was analysed.
    const old = bar(BTC, 601);
    await deps.marketData.putCandles([{ ...old, close: old.close * 1.5, high: old.close * 1.5 }]);
    clock.set(at(602) + 20 * MS.second);
    const retry = await analyzeMarkets(deps, { settings: both });
    expect(retry.alreadyAnalysed).toEqual([BTC, ETH]);
    expect(await drainDecisions(deps.decisionQueue)).toEqual([]);
    const after = await deps.snapshots.getSnapshots([marketSnapshotKey(BTC)]);
    expect(after.get(marketSnapshotKey(BTC))?.body).toBe(before.get(marketSnapshotKey(BTC))?.body);
  });

  it('a market removed from the config for a minute and added back catches up and decides as if it had stayed', async () => {
    const ref = await reference(603);
    const clock = new ManualClock(at(600));
    const deps = await seeded(603, clock);
    const memory: AnalysisMemory = {};
    const got = new Map<number, string[]>();
    for (const [i, settings] of [
      [600, both],
      [601, btcOnly],
      [602, both],
      [603, both],
    ] as const) {
      clock.set(at(i));
      const run = await analyzeMarkets({ ...deps, memory }, { settings });
      // Only stat_arb re-warms (its pairs are rebuilt with the market set), saying why.
      if (i === 602) expect(new Set(run.warmedUp.map((n) => n.strategy))).toEqual(new Set(['stat_arb']));
      got.set(i, text(await drainDecisions(deps.decisionQueue)));
    }
    const eth = (xs: string[] | undefined) => (xs ?? []).filter((d) => d.includes(`"market":"${ETH}"`));
    expect(eth(got.get(602))).toEqual(eth(ref.get(602)));
    expect(eth(got.get(603))).toEqual(eth(ref.get(603)));
  });
});

describe('snapshots that do not fit the running code (audit4)', () => {
  /** The stored BTC snapshot body after a first run, with one strategy's saved state replaced. */
  async function tampered(strategy: string, state: unknown) {
    const clock = new ManualClock(at(600));
    const deps = await seeded(601, clock);
    await analyzeMarkets(deps, { settings: both });
    await drainDecisions(deps.decisionQueue);
    const key = marketSnapshotKey(BTC);
    const snap = (await deps.snapshots.getSnapshots([key])).get(key);
    if (snap === undefined) throw new Error('no snapshot');
    const body = JSON.parse(snap.body) as { strategies: Record<string, { key: string; state: unknown }> };
    const saved = body.strategies[strategy];
    if (saved === undefined) throw new Error(`${strategy} not in the snapshot`);
    body.strategies[strategy] = { key: saved.key, state };
    await deps.snapshots.putSnapshot({ ...snap, body: JSON.stringify(body) }, snap.version);
    clock.set(at(601));
    return { deps, run: () => analyzeMarkets(deps, { settings: both }) };
  }

  const GARBAGE: readonly [string, unknown][] = [
    ['null', null],
    ['an empty object', {}],
    ['an array', []],
    ['a number', 42],
    ['a string', 'state'],
  ];
  const STRATEGIES = ['market_making', 'stat_arb', 'microstructure', 'momentum_scalping', 'mean_reversion'];

  // A saved state of the right key but the wrong shape (a deploy that changed a state's layout
  // without bumping its key, a hand-edited item) must warm that strategy up like any unusable
  // snapshot, not throw: a throw here fails every minute's run until someone deletes the item.
  const cases = STRATEGIES.flatMap((s) => GARBAGE.map(([what, state]) => [s, what, state] as const));
  const outcomes = new Map<string, string>();
  beforeAll(async () => {
    for (const [s, what, state] of cases) {
      const { run } = await tampered(s, state);
      try {
        const r = await run();
        outcomes.set(`${s}/${what}`, r.warmedUp.some((n) => n.strategy === s) ? 'warmed up' : 'loaded as is');
      } catch (error) {
        outcomes.set(`${s}/${what}`, `threw ${(error as Error).name}: ${(error as Error).message}`);
      }
    }
  });

  it('no malformed saved state makes the minute analysis throw (no crash loop)', () => {
    expect(outcomes.size).toBe(cases.length);
    expect([...outcomes].filter(([, o]) => o.startsWith('threw'))).toEqual([]);
    // An object of the wrong shape is refused (SnapshotMismatchError) and warmed up.
    for (const s of STRATEGIES) expect(outcomes.get(`${s}/an empty object`)).toBe('warmed up');
  });

  // Found by the audit (fixed: restoreStateRoot refuses it): `restoreState` returned a primitive or array root as is without touching the
  // fresh state and without a SnapshotMismatchError, so `null`, `[]`, `42` or `"state"` saved under
  // the right key is "restored" as a fresh, never-warmed state: the strategy runs cold (its
  // indicators restart from this bar, no warm-up from the stored candles, the run says nothing) and
  // the next save makes the cold state the stored one. Every strategy, every primitive root.
  it('a saved state that is null, an array, a number or a string warms the strategy up', () => {
    expect([...outcomes].filter(([, o]) => o === 'loaded as is')).toEqual([]);
  });
});
