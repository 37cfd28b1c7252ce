import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { type Decimal, Decimal as DecimalClass, decimalFromNumber, ZERO } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
import { type Krw, krw, type Volume, volume } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { type HeldBooks, HeldValuation } from './held-valuation';
import { MarkBook } from './mark-book';
import { StrategyPnl } from './strategy-pnl';

// HeldValuation values the holdings in integer units and StrategyPnl adds them to each position's
// realized − cost in integer units where exact. Both must give the very decimal and double of the
// decimal code they replace: the broker's equity (cash + Σ volume × mark, in the position order)
// and each owner's Σ numberOf(realized + (volume × mark − cost)), with decimal.js's own plus,
// minus and times as the reference, over volumes and marks whose units pass 2^53, off-grid and
// repeated closes, adversarial costs and realized PnL, and positions replaced between steps.

const RUNS = { seed: 20261206, numRuns: 600 } as const;
const MARKETS = ['KRW-BTC', 'KRW-XRP'] as Market[];
const OWNERS = ['market_making', 'mean_reversion'] as StrategyName[];

/** 8-decimal volumes: small, around 2^53 units, and past it; zero for a flat position. */
const volumeArb: fc.Arbitrary<Volume> = fc
  .oneof(
    fc.constant(0n),
    fc.bigInt({ min: 1n, max: 10n ** 9n }),
    fc.bigInt({ min: 1n, max: 4n }),
    fc.bigInt({ min: 2n ** 53n - 1000n, max: 2n ** 53n + 1000n }),
    fc.bigInt({ min: 1n, max: 10n ** 20n }),
  )
  .map((u) => volume(new DecimalClass(`${u}e-8`)));

/** Closes: whole won (some past 2^53), on and off the tick grid, tiny and repeated. */
const closeArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 2_000_000_000 }),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e17, 1e21, 123_456_789_000),
  fc.integer({ min: 0, max: 2 ** 20 }).map((k) => 2 ** 52 - 2 ** 19 + k),
  fc.double({ min: 1e-8, max: 1e9, noNaN: true }),
  fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1000),
);

/** Realized PnL and cost: adversarial decimals, and 20-decimal KRW amounts as fills make them. */
const krwArb: fc.Arbitrary<Krw> = fc.oneof(
  exactDecimal.map((e) => krw(e.x)),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((u) => krw(new DecimalClass(`${u}e-20`))),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => krw(new DecimalClass(n))),
  // Units of 10^-8 near 2^52 and 2^53: a value's integer sum with a holding's passes 2^53.
  fc.bigInt({ min: 2n ** 52n - 50n, max: 2n ** 53n + 50n }).map((u) => krw(new DecimalClass(`${u}e-8`))),
);

interface PositionSpec {
  readonly market: number;
  readonly owner: number;
  readonly volume: Volume;
  readonly cost: Krw;
  readonly realized: Krw;
}

const positionArb: fc.Arbitrary<PositionSpec> = fc.record({
  market: fc.integer({ min: 0, max: 1 }),
  owner: fc.integer({ min: 0, max: 1 }),
  volume: volumeArb,
  cost: krwArb,
  realized: krwArb,
});

/** One step: each market's close (undefined: no bar), and positions to replace (by index). */
interface StepSpec {
  readonly closes: readonly (number | undefined)[];
  readonly replace: readonly (PositionSpec | undefined)[];
  readonly cash: Krw | undefined;
}

function positionOf(spec: PositionSpec, version: number): Position {
  return {
    market: MARKETS[spec.market] as Market,
    strategy: OWNERS[spec.owner] as StrategyName,
    volume: spec.volume,
    cost: spec.cost,
    realizedPnl: spec.realized,
    feesPaid: krw(ZERO),
    updatedAt: 0 as EpochMs,
    version,
  };
}

function bar(market: Market, openTime: number, close: number): Candle {
  return { market, openTime: openTime as EpochMs, close } as unknown as Candle;
}

/** The broker's equity as the decimal code made it: cash + each held volume × mark, in order. */
function referenceEquity(cash: Krw, positions: readonly Position[], marks: MarkBook): Decimal {
  let total: Decimal = cash;
  for (const p of positions) {
    if (p.volume.isZero()) continue;
    const close = marks.close(p.market);
    if (close !== undefined) total = total.plus(p.volume.times(decimalFromNumber(close)));
  }
  return total;
}

/** Each owner's PnL double as the decimal code made it (flat: realized + 0). */
function referencePnl(positions: readonly Position[], marks: MarkBook): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of positions) {
    const close = p.volume.isZero() ? undefined : marks.close(p.market);
    const value =
      close === undefined
        ? numberOf(p.realizedPnl.plus(ZERO))
        : numberOf(p.realizedPnl.plus(p.volume.times(decimalFromNumber(close)).minus(p.cost)));
    out.set(p.strategy, (out.get(p.strategy) ?? 0) + value);
  }
  return out;
}

/** decimal.js's own fields, to compare layouts (the same decimal, not only the same value). */
function layout(x: Decimal): string {
  const l = x as unknown as { s: number; e: number; d: number[] | null };
  return JSON.stringify([l.s, l.e, l.d]);
}

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  closes: fc.array(fc.option(closeArb, { nil: undefined }), { minLength: 2, maxLength: 2 }),
  replace: fc.array(fc.option(positionArb, { nil: undefined, freq: 3 }), { minLength: 0, maxLength: 3 }),
  cash: fc.option(krwArb, { nil: undefined }),
});

describe('HeldValuation and StrategyPnl (integer units) against the decimal code', () => {
  it('give the same equity decimal and the same PnL doubles, step after step', () => {
    fc.assert(
      fc.property(
        fc.array(positionArb, { minLength: 1, maxLength: 3 }),
        krwArb,
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        (initial, startCash, steps) => {
          let list: Position[] = initial.map((s, i) => positionOf(s, i));
          let version = 0;
          const books = {
            cash: startCash,
            get holdsAny() {
              return list.some((p) => !p.volume.isZero());
            },
            allPositions: () => list,
            get version() {
              return version;
            },
          } as unknown as HeldBooks;
          const marks = new MarkBook();
          const held = new HeldValuation(books, marks);
          const pnl = new StrategyPnl(books, marks, held);
          steps.forEach((step, t) => {
            step.closes.forEach((close, m) => {
              if (close !== undefined) marks.set(bar(MARKETS[m] as Market, t * 60_000, close));
            });
            step.replace.forEach((spec, i) => {
              if (spec === undefined || i >= list.length) return;
              list = list.map((p, k) => (k === i ? positionOf(spec, ++version) : p));
              version += 1;
            });
            if (step.cash !== undefined) (books as { cash: Krw }).cash = step.cash;
            const equity = held.equity();
            const expected = books.holdsAny ? referenceEquity(books.cash, list, marks) : books.cash;
            expect(layout(equity)).toBe(layout(expected));
            expect(Object.is(numberOf(equity), numberOf(expected))).toBe(true);
            const values = pnl.current();
            const reference = referencePnl(list, marks);
            expect([...values.keys()].sort()).toEqual([...reference.keys()].sort());
            for (const [owner, value] of reference)
              expect(Object.is(values.get(owner as StrategyName), value)).toBe(true);
          });
        },
      ),
      RUNS,
    );
  });

  it('takes the integer paths for everyday holdings (a whole-won close, an 8-decimal volume)', () => {
    const list: Position[] = [
      positionOf(
        {
          market: 0,
          owner: 0,
          volume: volume(new DecimalClass('0.00126604')),
          cost: krw(new DecimalClass('170083.03131615')),
          realized: krw(new DecimalClass('-70946.644546595')),
        },
        1,
      ),
    ];
    const books = holdingBooks(krw(new DecimalClass('9758970.324137255')), list);
    const marks = new MarkBook();
    const held = new HeldValuation(books, marks);
    marks.set(bar(MARKETS[0] as Market, 0, 134_289_000));
    expect(held.worthUnits(0, list[0] as Position)).toBe(126604 * 134_289_000);
    expect(held.worthScale).toBe(8);
    const pnl = new StrategyPnl(books, marks, held);
    expect(pnl.current().get('market_making' as StrategyName)).toBe(
      numberOf(
        new DecimalClass('-70946.644546595').plus(
          new DecimalClass('0.00126604').times(134_289_000).minus('170083.03131615'),
        ),
      ),
    );
    // The same cash, positions and close: the very same equity object.
    expect(held.equity()).toBe(held.equity());
  });

  it('refuses an integer sum past 2^53, where the double would round twice', () => {
    // base 2^52 + 3 and holding 2^52 + 8 units of 10^-8: their sum 2^53 + 11 is no double.
    const list: Position[] = [
      positionOf(
        {
          market: 0,
          owner: 0,
          volume: volume(new DecimalClass('0.00000001')),
          cost: krw(ZERO),
          realized: krw(new DecimalClass(`${2n ** 52n + 3n}e-8`)),
        },
        1,
      ),
    ];
    const books = holdingBooks(krw(ZERO), list);
    const marks = new MarkBook();
    marks.set(bar(MARKETS[0] as Market, 0, 2 ** 52 + 8));
    const pnl = new StrategyPnl(books, marks, new HeldValuation(books, marks));
    expect(pnl.current().get('market_making' as StrategyName)).toBe(
      numberOf(new DecimalClass(`${2n ** 53n + 11n}e-8`)),
    );
  });
});

/** Fixed books holding `list` (some position held), for the single-case tests above. */
function holdingBooks(cash: Krw, list: readonly Position[]): HeldBooks {
  return { cash, holdsAny: true, allPositions: () => list, version: 1 } as unknown as HeldBooks;
}
