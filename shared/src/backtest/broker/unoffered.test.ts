import fc from 'fast-check';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { krw, price, type Volume, volume } from '../../domain/money/quantities';
import { BTC, T0 } from '../../domain/risk/testing/risk-builders';
import type { SimOrder } from './sim-order';
import { exceedsUnoffered, unofferedVolume } from './unoffered';

// Volumes on the 8-decimal grid, off it (9 decimals), and huge (beyond safe 1e-8 units).
const volumeArb = fc.oneof(
  fc.integer({ min: 0, max: 5_000_000_000 }).map((u) => new Decimal(u).div(1e8)),
  fc.integer({ min: 1, max: 999_999_999 }).map((u) => new Decimal(u).div(1e9)),
  fc.bigInt({ min: 1n, max: 10n ** 20n }).map((u) => new Decimal(u.toString()).div(1e8)),
);

function ask(strategy: SimOrder['strategy'], remaining: Decimal, bid: boolean): SimOrder {
  const v = volume(remaining);
  return {
    identifier: undefined,
    market: BTC,
    strategy,
    spec: {
      kind: 'limit',
      side: bid ? 'bid' : 'ask',
      price: price(new Decimal(1000)),
      volume: v,
      postOnly: true,
    },
    placedAt: T0,
    lockedKrw: krw(ZERO),
    lazyLock: 0,
    remaining: v,
  };
}

describe('exceedsUnoffered', () => {
  it('decides sell > held − open asks as the exact decimals do, also one unit either side', () => {
    let onEdge = 0;
    fc.assert(
      fc.property(
        volumeArb,
        fc.array(fc.record({ v: volumeArb, other: fc.boolean(), bid: fc.boolean() }), { maxLength: 6 }),
        fc.integer({ min: -2, max: 2 }),
        (held, offers, nudge) => {
          const orders = offers.map((o) => ask(o.other ? 'stat_arb' : 'market_making', o.v, o.bid));
          const free = unofferedVolume(volume(held), orders, 'market_making');
          // The sell: the unoffered volume itself, one 1e-8 unit either side, or a random volume.
          const sell = volume(
            nudge === 2 ? held.div(3) : Decimal.max(ZERO, free.plus(new Decimal(nudge).div(1e8))),
          );
          if (nudge === 0) onEdge += 1;
          expect(exceedsUnoffered(sell as Volume, volume(held), orders, 'market_making')).toBe(sell.gt(free));
        },
      ),
      { numRuns: 3000 },
    );
    expect(onEdge).toBeGreaterThan(100);
  });
});
