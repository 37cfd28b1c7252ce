import { syntheticCandles, syntheticMarkets } from '../../bench/synthetic-candles';
import { BacktestEngine } from '../../shared/src/backtest/engine/backtest-engine';
import type { BacktestInput } from '../../shared/src/backtest/engine/backtest-input';
import { SyncBarSteps } from '../../shared/src/backtest/engine/bar-steps';
import { warmRareBranches } from '../../shared/src/backtest/engine/rare-branch-warm-up';
import type { Candle } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { parseIsoUtc } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';

// Class fields use assign semantics (tsconfig.json's useDefineForClassFields: false, see
// test/class-field-semantics.test.ts): a field declared without an initialiser exists only once
// something writes it. A field the constructor does not write is added at its first write, mid-run:
// the object moves to a new hidden class, and optimised code that checked the old one is thrown
// away and compiled again (one such field, first written ~day 332 of a market-making year, cost a
// whole recompile cluster). So every class instance reachable from the engine keeps the keys it
// was built with through a run: the constructor writes each field, `undefined` when it has nothing.
//
// The per-market state literals of the strategies (class Object) are left out: their keys are
// their snapshot's shape (stateKeyOf), and `reading` / a pair's `model` appear at their first bar.

const START = parseIsoUtc('2026-01-01T00:00:00Z');
const PLAIN = new Set<unknown>([Object.prototype, Array.prototype, Map.prototype, Set.prototype, null]);

interface Seen {
  readonly path: string;
  readonly keys: string;
}

/** Every class instance reachable through own properties, Map and array entries, with its keys. */
function instances(root: object): Map<object, Seen> {
  const out = new Map<object, Seen>();
  const visited = new Set<object>();
  const stack: [unknown, string][] = [[root, 'engine']];
  while (stack.length > 0) {
    const [o, path] = stack.pop() as [unknown, string];
    if (o === null || typeof o !== 'object' || visited.has(o) || ArrayBuffer.isView(o)) continue;
    visited.add(o);
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    if (!PLAIN.has(proto))
      out.set(o, { path: `${path}: ${proto?.constructor?.name}`, keys: Object.keys(o).join() });
    if (Array.isArray(o)) for (let i = 0; i < o.length; i++) stack.push([o[i], `${path}[${i}]`]);
    else if (o instanceof Map)
      for (const [k, v] of o) {
        stack.push([k, `${path}.key`]);
        stack.push([v, `${path}{${String(k)}}`]);
      }
    if (o instanceof Set) continue;
    for (const k of Object.keys(o)) stack.push([(o as Record<string, unknown>)[k], `${path}.${k}`]);
  }
  return out;
}

/** Runs `days` of synthetic bars; returns each instance that gained or lost keys, and its keys before/after. */
function layoutChanges(strategies: 'all' | StrategyName[], markets: number, days: number): string[] {
  const sources = new Map<Market, Candle[]>();
  syntheticMarkets(markets).forEach((m, i) => {
    sources.set(m, [...syntheticCandles(m, i, START, days * 1440, 1)]);
  });
  warmRareBranches();
  const input: BacktestInput = {
    candlesByMarket: sources,
    timeframe: '1m',
    strategies,
    capital: krw(decimalFromNumber(10_000_000)),
    feeRate: decimalFromNumber(0.0005),
    slippageBps: 2,
    seed: 1,
  };
  let fills = 0;
  const engine = new BacktestEngine(input, () => {
    fills += 1;
  });
  const before = instances(engine);
  const steps = new SyncBarSteps(sources);
  for (let s = steps.next(); s !== undefined; s = steps.next()) engine.advance(s);
  // The run must reach the paths that write the late fields: positions, exits and fills.
  expect(fills).toBeGreaterThan(10);
  const changed: string[] = [];
  // And every instance of one class, made before or during the run, has the same keys.
  const byClass = new Map<unknown, Set<string>>();
  for (const [o, now] of instances(engine)) {
    const was = before.get(o);
    if (was !== undefined && was.keys !== now.keys) changed.push(`${now.path}: ${was.keys} -> ${now.keys}`);
    const layouts = byClass.get(o.constructor) ?? new Set<string>();
    layouts.add(now.keys);
    byClass.set(o.constructor, layouts);
  }
  for (const [c, layouts] of byClass)
    if (layouts.size > 1) changed.push(`${(c as { name: string }).name}: ${[...layouts].join(' | ')}`);
  return changed;
}

describe('hot classes keep their constructor layout through a backtest', () => {
  it('market_making, one market, two days', () => {
    expect(layoutChanges(['market_making' as StrategyName], 1, 2)).toEqual([]);
  });

  it('all five strategies, two markets, two days', () => {
    expect(layoutChanges('all', 2, 2)).toEqual([]);
  });

  it('the walk sees a late field: a class whose constructor leaves one unwritten', () => {
    class Late {
      early = 1;
      late?: number;
      set(): void {
        this.late = 2;
      }
    }
    const probe = new Late();
    const root = { probe };
    const before = instances(root).get(probe)?.keys;
    probe.set();
    expect([before, instances(root).get(probe)?.keys]).toEqual(['early', 'early,late']);
  });
});
