import fc from 'fast-check';
import { Decimal } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { exitNetReturn } from '../../domain/risk/exit-triggers';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import { exitReturnPercent } from './exit-reason';

// An exit's reason shows its net return in percent to three places: the doubles' text must be the
// decimals' text, ties at the third place and values that round to zero included.

const RUNS = { seed: 20261207, numRuns: 5000 } as const;

const units = (max: bigint, scale: number) =>
  fc.bigInt({ min: 1n, max }).map((n) => new Decimal(n.toString()).div(new Decimal(10).pow(scale)));

function position(v: Decimal, cost: Decimal): Position {
  return {
    market: 'KRW-BTC',
    strategy: 'market_making',
    volume: volume(v),
    cost: krw(cost),
    realizedPnl: krw('0'),
    feesPaid: krw('0'),
    updatedAt: 0 as EpochMs,
    version: 1,
  } as Position;
}

const fee = fc.constantFrom(new Decimal('0.0005'), new Decimal('0.0025'), new Decimal(0));

/** A holding and a bid whose net return is near `thousandths` / 1000 % (nudged by up to ±1e-12). */
const nearTies = fc
  .record({
    v: fc.oneof(units(10n ** 10n, 8), units(10n ** 30n, 20)),
    cost: fc.oneof(units(10n ** 12n, 8), units(10n ** 40n, 30)),
    fee,
    halves: fc.integer({ min: -200_000, max: 200_000 }),
    nudge: fc.integer({ min: -1000, max: 1000 }),
    places: fc.nat({ max: 16 }),
  })
  .map(({ v, cost, fee: f, halves, nudge, places }) => {
    // Net return r with r·10^5 = halves / 2 (a tie when odd), nudged.
    const r = new Decimal(halves).div(2).plus(new Decimal(nudge).times('1e-9')).div(1e5);
    const bid = cost
      .times(r.plus(1))
      .div(v.times(new Decimal(1).minus(f)))
      .toDecimalPlaces(places);
    return { v, cost, fee: f, bid };
  })
  .filter((t) => t.bid.gt(0));

const anyBid = fc.record({
  v: fc.oneof(units(10n ** 10n, 8), units(10n ** 30n, 20)),
  cost: fc.oneof(units(10n ** 12n, 8), units(10n ** 40n, 30)),
  fee,
  bid: fc.oneof(units(10n ** 12n, 4), units(10n ** 40n, 20)),
});

describe('exitReturnPercent', () => {
  it('gives the decimal net return’s percent text, ties and near-zero returns included', () => {
    fc.assert(
      fc.property(fc.oneof(nearTies, anyBid), ({ v, cost, fee: f, bid }) => {
        const p = position(v, cost);
        const exact = exitNetReturn(p, price(bid), f).times(100).toFixed(3);
        expect(exitReturnPercent(p, price(bid), f)).toBe(exact);
      }),
      RUNS,
    );
  });

  it('prints a small loss that rounds to zero as decimal.js does', () => {
    const p = position(new Decimal(1), new Decimal(1000));
    // Net return −1e-6: "-0.000"; +1e-6: "0.000".
    expect(exitReturnPercent(p, price('999.999'), new Decimal(0))).toBe('-0.000');
    expect(exitReturnPercent(p, price('1000.001'), new Decimal(0))).toBe('0.000');
    expect(exitReturnPercent(p, price('996.95'), new Decimal(0))).toBe('-0.305');
    // Exactly break-even, where the doubles' ratio (0.001 × 0.27 / 0.00027) is a hair below 1.
    const even = position(new Decimal('0.001'), new Decimal('0.00027'));
    expect(exitReturnPercent(even, price('0.27'), new Decimal(0))).toBe('0.000');
  });
});
