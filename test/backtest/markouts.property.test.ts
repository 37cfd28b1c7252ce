import fc from 'fast-check';
import {
  type FillMarkouts,
  FillMarkoutValues,
  MARKOUT_HORIZONS,
  type MarkoutKey,
  type MarkoutStats,
  type MarkoutSummary,
  MarkoutTracker,
  type StepCloses,
} from '../../shared/src/backtest/result/markouts';
import type { Market } from '../../shared/src/domain/market/market-id';
import { numberOf } from '../../shared/src/domain/money/decimal-units';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Fill } from '../../shared/src/domain/trading/fill';

// The tracker as it was before one entry served all three horizons (three FIFOs shifted per step,
// tallies in a map of maps), verbatim: the reference the cursor version must match exactly.
interface Pending {
  readonly out: FillMarkoutValues;
  /** Index of the horizon in {@link MARKOUT_HORIZONS}. */
  readonly index: number;
  readonly key: MarkoutKey;
  readonly market: Market;
  readonly strategy: string;
  readonly sign: 1 | -1;
  readonly price: number;
  readonly target: number;
}

interface Tally {
  n: number;
  sum: number;
  adverse: number;
}

const KEYS = MARKOUT_HORIZONS.map((h) => String(h) as MarkoutKey);

function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Measures adverse selection as the run goes: each maker fill waits in one FIFO per horizon (fills
 * arrive in time order, so targets do too) until the step whose close is its target; a market with
 * no bar at that instant is marked at its last close before it. O(fills within 30 bars) memory.
 */
class ReferenceTracker {
  private readonly queues: Pending[][] = KEYS.map(() => []);
  private readonly tallies = new Map<string, Map<MarkoutKey, Tally>>();

  constructor(private readonly barMs: number) {}

  /** Starts measuring a maker fill; returns the object the results are written into. */
  track(fill: Fill): FillMarkouts {
    const out = new FillMarkoutValues();
    // numberOf: toNumber's double (a price is positive) without printing the decimal to text.
    const price = numberOf(fill.price);
    const sign = fill.side === 'bid' ? 1 : -1;
    for (let i = 0; i < MARKOUT_HORIZONS.length; i++)
      this.queues[i]?.push({
        out,
        index: i,
        key: KEYS[i] as MarkoutKey,
        market: fill.market,
        strategy: fill.strategy,
        sign,
        price,
        target: fill.at + (MARKOUT_HORIZONS[i] as number) * this.barMs,
      });
    return out;
  }

  /**
   * Feeds one step's close time and closes (every market seen so far). A horizon that falls between
   * two steps (no bar of any market at it) is marked at the previous step's close.
   */
  onStep(at: number, closes: StepCloses): void {
    for (const queue of this.queues) {
      while (queue.length > 0) {
        const p = queue[0] as Pending;
        if (p.target > at) break;
        const mark = (p.target < at ? closes.previousClose(p.market) : undefined) ?? closes.close(p.market);
        queue.shift();
        if (mark === undefined) continue;
        const bps = round2(((mark - p.price) / p.price) * 1e4 * p.sign);
        p.out.setAt(p.index, bps);
        this.count(p.strategy, p.key, bps);
        this.count('*', p.key, bps);
      }
    }
  }

  /** Totals so far, strategies sorted by name. */
  summary(): MarkoutSummary {
    const stats = (name: string): Record<MarkoutKey, MarkoutStats> => {
      const t = this.tallies.get(name);
      return Object.fromEntries(
        KEYS.map((k) => {
          const x = t?.get(k);
          return [
            k,
            x === undefined || x.n === 0
              ? { fills: 0, meanBps: null, adversePct: null }
              : { fills: x.n, meanBps: round2(x.sum / x.n), adversePct: round2((100 * x.adverse) / x.n) },
          ];
        }),
      ) as Record<MarkoutKey, MarkoutStats>;
    };
    const names = [...this.tallies.keys()].filter((n) => n !== '*').sort();
    return {
      horizonsBars: [...MARKOUT_HORIZONS],
      all: stats('*'),
      byStrategy: Object.fromEntries(names.map((n) => [n, stats(n)])),
    };
  }

  private count(name: string, key: MarkoutKey, bps: number): void {
    let byKey = this.tallies.get(name);
    if (byKey === undefined) {
      byKey = new Map();
      this.tallies.set(name, byKey);
    }
    const t = byKey.get(key) ?? { n: 0, sum: 0, adverse: 0 };
    t.n += 1;
    t.sum += bps;
    if (bps < 0) t.adverse += 1;
    byKey.set(key, t);
  }
}

const BAR = 60_000;
const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as Market[];
const STRATEGIES: Fill['strategy'][] = ['market_making', 'stat_arb', 'momentum_scalping'];

function fillOf(
  side: 'bid' | 'ask',
  p: number,
  at: number,
  market: Market,
  strategy: Fill['strategy'],
): Fill {
  return {
    fillId: `f-${at}`,
    identifier: 'qts.x.0' as OrderIdentifier,
    market,
    strategy,
    side,
    price: price(String(p)),
    volume: volume('1'),
    fee: krw('0'),
    isMaker: true,
    at: at as EpochMs,
  };
}

/** One step of a run: the fills of its bar (tracked first), then its close time and closes. */
const stepArb = fc.record({
  // Steps may skip bars (gaps where no market has a bar), so horizons fall between steps.
  gap: fc.integer({ min: 1, max: 4 }),
  fills: fc.array(
    fc.record({
      side: fc.constantFrom('bid' as const, 'ask' as const),
      price: fc.integer({ min: 1, max: 2_000 }),
      market: fc.integer({ min: 0, max: 2 }),
      strategy: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 4 },
  ),
  // undefined: the market has no close yet (its mark-out is skipped).
  closes: fc.array(fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }), {
    minLength: 3,
    maxLength: 3,
  }),
});

describe('MarkoutTracker (one entry per fill, cursors per horizon)', () => {
  it('writes the same mark-outs and the same summary as the three-queue tracker', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 400 }), (steps) => {
        const ours = new MarkoutTracker(BAR);
        const ref = new ReferenceTracker(BAR);
        const outs: [FillMarkouts, FillMarkouts][] = [];
        let open = 0;
        let previous: (number | undefined)[] = [undefined, undefined, undefined];
        for (const s of steps) {
          for (const f of s.fills) {
            const fill = fillOf(
              f.side,
              f.price,
              open,
              MARKETS[f.market] as Market,
              STRATEGIES[f.strategy] as Fill['strategy'],
            );
            outs.push([ours.track(fill), ref.track(fill)]);
          }
          const at = open + BAR;
          const now = s.closes;
          const before = previous;
          const closes: StepCloses = {
            close: (m) => now[MARKETS.indexOf(m)],
            previousClose: (m) => before[MARKETS.indexOf(m)],
          };
          ours.onStep(at, closes);
          ref.onStep(at, closes);
          previous = now;
          open += s.gap * BAR;
        }
        for (const [a, b] of outs) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(JSON.stringify(ours.summary())).toBe(JSON.stringify(ref.summary()));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps marking after dropping the entries every horizon has passed', () => {
    const ours = new MarkoutTracker(BAR);
    const ref = new ReferenceTracker(BAR);
    const outs: [FillMarkouts, FillMarkouts][] = [];
    const market = MARKETS[0] as Market;
    // 3,000 bars with two fills each: the front is dropped twice over, entries still waiting move.
    for (let i = 0; i < 3_000; i++) {
      for (const side of ['bid', 'ask'] as const) {
        const fill = fillOf(side, 1_000 + (i % 7), i * BAR, market, 'market_making');
        outs.push([ours.track(fill), ref.track(fill)]);
      }
      const closes: StepCloses = {
        close: () => 1_000 + ((i * 3) % 11),
        previousClose: () => 1_000 + (((i - 1) * 3) % 11),
      };
      ours.onStep((i + 1) * BAR, closes);
      ref.onStep((i + 1) * BAR, closes);
    }
    for (const [a, b] of outs) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(ours.summary())).toBe(JSON.stringify(ref.summary()));
  });
});
