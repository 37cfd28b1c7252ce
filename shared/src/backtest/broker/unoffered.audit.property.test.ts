import fc from 'fast-check';
import { price, volume } from '../../domain/money/quantities';
import type { SimOrder } from './sim-order';
import { exceedsUnoffered, unofferedVolume } from './unoffered';

// Audit of the broker's 1e-8-unit sell check against its exact decimal reference, at the top of
// the safe-integer range: holdings of cheap coins (tens of millions of units at 8 decimals) pass
// 2^53 units of 1e-8.

const TWO_53 = 2n ** 53n;

/** A volume of `units` × 1e-8 from its exact digits. */
const vol = (units: bigint) => volume(`${units}e-8`);

/** An open order with only what the check reads: owner, side and remaining volume. */
const order = (units: bigint, ask: boolean, mine: boolean): SimOrder =>
  ({
    strategy: mine ? 'market_making' : 'momentum_scalping',
    spec: { kind: 'limit', side: ask ? 'ask' : 'bid', price: price('1'), volume: vol(units), postOnly: true },
    remaining: vol(units),
  }) as unknown as SimOrder;

describe('audit: exceedsUnoffered (claim: the exact comparison sell > unoffered)', () => {
  it('refuses a sell one unit above the holding at 2^53 units (was admitted: unitsOf rounded to 2^53)', () => {
    // 90,071,992.54740993 coins to sell, 90,071,992.54740992 held: one 1e-8 unit too many.
    expect(exceedsUnoffered(vol(TWO_53 + 1n), vol(TWO_53), [], 'market_making')).toBe(true);
  });

  it('agrees with the exact decimals for holdings and sells around 2^53 units', () => {
    const around = fc.bigInt({ min: TWO_53 - 40n, max: TWO_53 + 40n });
    fc.assert(
      fc.property(around, around, (sell, held) => {
        const exact = vol(sell).gt(unofferedVolume(vol(held), [], 'market_making'));
        expect(exceedsUnoffered(vol(sell), vol(held), [], 'market_making')).toBe(exact);
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });

  it('agrees with the exact decimals with open asks and bids, mine and others’, past ±2^53 running totals', () => {
    const units = fc.oneof(
      fc.bigInt({ min: TWO_53 - 40n, max: TWO_53 + 40n }),
      fc.bigInt({ min: 0n, max: 10n ** 17n }),
      fc.bigInt({ min: 0n, max: 1000n }),
    );
    fc.assert(
      fc.property(
        units,
        units,
        fc.array(fc.tuple(units, fc.boolean(), fc.boolean()), { maxLength: 6 }),
        (sell, held, open) => {
          const orders = open.map(([u, ask, mine]) => order(u, ask, mine));
          const exact = vol(sell).gt(unofferedVolume(vol(held), orders, 'market_making'));
          expect(exceedsUnoffered(vol(sell), vol(held), orders, 'market_making')).toBe(exact);
        },
      ),
      { seed: 20261205, numRuns: 3000 },
    );
  });
});
