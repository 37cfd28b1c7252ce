import fc from 'fast-check';
import { Decimal } from '../../domain/money/decimal';
import { decimalLt } from '../../domain/money/decimal-compare';
import { approximately, productOf } from '../../domain/money/decimal-units';
import { krw, price, volume } from '../../domain/money/quantities';
import { exitKind } from '../../domain/risk/exit-triggers';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import { ExitGates } from './exit-gates';

// The router skips a position's exit check when its gate calls the bid quiet. That is exact only if
// the scan it skips would have done nothing: exitKind finds no exit, or the holding (and so what of
// it is sellable) is worth less than the minimum order at that bid.

const RUNS = { seed: 20261206, numRuns: 5000 } as const;

interface Trace {
  readonly volume: Decimal;
  readonly cost: Decimal;
  readonly fee: Decimal;
  readonly stopLoss: Decimal;
  readonly takeProfit: Decimal;
  readonly minTotal: Decimal;
  readonly bids: readonly Decimal[];
}

const units = (max: bigint, scale: number) =>
  fc.bigInt({ min: 0n, max }).map((n) => new Decimal(n.toString()).div(new Decimal(10).pow(scale)));

/**
 * Bids spread around the position's break-even, with many right at the thresholds' bids and at the
 * bid below which the holding is dust.
 */
function bidsAround(t: Omit<Trace, 'bids'>): fc.Arbitrary<Decimal[]> {
  const k = t.cost.div(t.volume.times(new Decimal(1).minus(t.fee)));
  const nudged = (base: Decimal, nudge: number, places: number) =>
    base.times(new Decimal(1).plus(new Decimal(nudge).times('1e-9'))).toDecimalPlaces(places);
  const edges = [
    k.times(new Decimal(1).minus(t.stopLoss)),
    k.times(new Decimal(1).plus(t.takeProfit)),
    t.minTotal.div(t.volume),
  ];
  const bid = fc.oneof(
    fc
      .tuple(fc.constantFrom(...edges), fc.integer({ min: -5, max: 5 }), fc.nat({ max: 12 }))
      .map(([edge, nudge, places]) => nudged(edge, nudge, places)),
    fc
      .tuple(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.nat({ max: 10 }))
      .map(([f, places]) => nudged(k.times(f), 0, places)),
    units(10n ** 12n, 4),
  );
  return fc.array(
    bid.filter((b) => b.gt(0)),
    { minLength: 1, maxLength: 8 },
  );
}

const trace: fc.Arbitrary<Trace> = fc
  .record({
    volume: fc.oneof(units(10n ** 10n, 8), units(10n ** 6n, 8), units(10n ** 30n, 20)),
    cost: fc.oneof(units(10n ** 12n, 8), units(10n ** 40n, 30), fc.constant(new Decimal(0))),
    fee: fc.constantFrom(new Decimal('0.0005'), new Decimal('0.0025'), new Decimal(0)),
    stopLoss: fc.constantFrom(new Decimal('0.003'), new Decimal('0.02'), new Decimal('0.5')),
    takeProfit: fc.constantFrom(new Decimal('0.005'), new Decimal('0.1'), new Decimal('3')),
    minTotal: fc.constantFrom(new Decimal(5000), new Decimal(0), new Decimal('0.5')),
  })
  .chain((t) => {
    const held = t.volume.gt(0) && t.cost.gt(0);
    const bids = held ? bidsAround(t) : fc.array(units(10n ** 12n, 4), { minLength: 1, maxLength: 4 });
    return bids.map((b) => ({ ...t, bids: b }));
  });

function position(t: Trace): Position {
  return {
    market: 'KRW-BTC',
    strategy: 'market_making',
    volume: volume(t.volume),
    cost: krw(t.cost),
    realizedPnl: krw('0'),
    feesPaid: krw('0'),
    updatedAt: 0 as EpochMs,
    version: 1,
  } as Position;
}

describe('ExitGates', () => {
  it('calls a bid quiet only where the exit scan would find nothing to send', () => {
    let quiet = 0;
    let checked = 0;
    fc.assert(
      fc.property(trace, (t) => {
        const thresholds = { stopLoss: t.stopLoss, takeProfit: t.takeProfit };
        const gates = new ExitGates(t.fee, thresholds, t.minTotal);
        const p = position(t);
        const list = gates.market('KRW-BTC').gates;
        for (const b of t.bids) {
          checked += 1;
          const bid = price(b);
          if (!gates.quiet(list, 0, p, approximately(bid))) continue;
          quiet += 1;
          const kind = exitKind(p, bid, t.fee, thresholds);
          const dust = decimalLt(productOf(p.volume, bid), t.minTotal);
          expect(kind === undefined || dust).toBe(true);
        }
      }),
      RUNS,
    );
    // Most bids of a trace sit near a threshold: the gate must still settle a share, and not all.
    expect(quiet).toBeGreaterThan(checked / 10);
    expect(quiet).toBeLessThan(checked);
  });

  it('skips a scan only where every position of the last all-quiet scan is quiet again', () => {
    let skipped = 0;
    fc.assert(
      fc.property(
        fc.array(trace, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (ts, flat) => {
          // Every position with the first trace's settings (one router), some of them flat.
          const t0 = ts[0] as Trace;
          const thresholds = { stopLoss: t0.stopLoss, takeProfit: t0.takeProfit };
          const gates = new ExitGates(t0.fee, thresholds, t0.minTotal);
          const positions = ts.map((t, i) => position(i < flat ? { ...t, volume: new Decimal(0) } : t));
          const strategies = positions.map((_, i) => i);
          const m = gates.market('KRW-BTC');
          const bids = ts.flatMap((t) => t.bids).map((b) => approximately(price(b)));
          for (const bid of bids) {
            if (gates.skips(m, positions, strategies, bid)) {
              skipped += 1;
              // A fresh router's scan at this bid finds every position quiet.
              const fresh = new ExitGates(t0.fee, thresholds, t0.minTotal);
              positions.forEach((p, i) => {
                expect(fresh.quiet(fresh.market('KRW-BTC').gates, i, p, bid)).toBe(true);
              });
              continue;
            }
            gates.begin();
            positions.forEach((p, i) => {
              gates.quiet(m.gates, i, p, bid);
            });
            gates.end(m, positions, strategies);
          }
          // Another position list (a position changed) never skips.
          expect(gates.skips(m, [...positions], strategies, bids[0] as number)).toBe(false);
        },
      ),
      RUNS,
    );
    expect(skipped).toBeGreaterThan(0);
  });

  it('answers for a replaced position as a fresh gate would (each index keeps one gate object, rewritten)', () => {
    let replaced = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(trace, fc.integer({ min: 0, max: 2 }), fc.boolean()), {
          minLength: 2,
          maxLength: 6,
        }),
        (steps) => {
          // One router's settings; positions of any index replaced in any order, some flat.
          const t0 = (steps[0] as (typeof steps)[number])[0];
          const thresholds = { stopLoss: t0.stopLoss, takeProfit: t0.takeProfit };
          const gates = new ExitGates(t0.fee, thresholds, t0.minTotal);
          const list = gates.market('KRW-BTC').gates;
          const seen = new Set<number>();
          for (const [t, index, flat] of steps) {
            if (seen.has(index)) replaced += 1;
            seen.add(index);
            const p = position(flat ? { ...t, volume: new Decimal(0) } : t);
            for (const b of t.bids) {
              const bid = approximately(price(b));
              const fresh = new ExitGates(t0.fee, thresholds, t0.minTotal);
              const expected = fresh.quiet(fresh.market('KRW-BTC').gates, index, p, bid);
              expect(gates.quiet(list, index, p, bid)).toBe(expected);
            }
          }
        },
      ),
      { seed: 20261207, numRuns: 1500 },
    );
    expect(replaced).toBeGreaterThan(500);
  });

  it('lets a bid through once the position past a threshold fires', () => {
    const thresholds = { stopLoss: new Decimal('0.003'), takeProfit: new Decimal('0.005') };
    const gates = new ExitGates(new Decimal('0.0005'), thresholds, new Decimal(5000));
    const p = position({
      volume: new Decimal('0.01'),
      cost: new Decimal('1000500'),
      fee: new Decimal('0.0005'),
      stopLoss: thresholds.stopLoss,
      takeProfit: thresholds.takeProfit,
      minTotal: new Decimal(5000),
      bids: [],
    });
    const list = gates.market('KRW-BTC').gates;
    // Break-even bid ≈ 100,100,050: ±0.1 % is inside, −1 % is a stop-loss.
    expect(gates.quiet(list, 0, p, 100_100_000)).toBe(true);
    expect(gates.quiet(list, 0, p, 99_000_000)).toBe(false);
    expect(exitKind(p, price('99000000'), new Decimal('0.0005'), thresholds)).toBe('stop_loss');
    // A bid at which the whole holding is worth less than 5,000 KRW is dust: quiet.
    expect(gates.quiet(list, 0, p, 400_000)).toBe(true);
  });
});
