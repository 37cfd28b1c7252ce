import fc from 'fast-check';
import type { BookLevel } from '../market/market-data';
import { Decimal } from '../money/decimal';
import { price, volume } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import { fatFingerChecker } from './fat-finger';
import type { FatFingerLimits } from './risk-limits';
import { BTC } from './testing/risk-builders';

/*
 * Audit (issue 16 follow-up): the fat-finger guards of the live pre-trade check (a double pre-check
 * with a 1e-9 margin for the last-trade deviation, a double depth sum under 1 − 1e-9 for the depth
 * cap, cached band factors) against exact BigInt decisions, with prices and sizes put exactly on
 * each limit and 1e-8 either side. Book sizes are doubles whose shortest text is the exact value.
 */

const RUNS = { seed: 20261205, numRuns: 1500 } as const;
const S = 10n ** 20n;

const dec = (n: bigint) => new Decimal(`${n}e-20`);

const input = fc.record({
  last: fc.integer({ min: 1, max: 200_000_000 }), // whole won
  maxBp: fc.integer({ min: 1, max: 2000 }), // 0.01 % … 20 % in basis points
  tolBp: fc.integer({ min: 0, max: 500 }),
  fracPct: fc.integer({ min: 1, max: 100 }),
  spreadBp: fc.integer({ min: 0, max: 50 }),
  sizes: fc.array(fc.integer({ min: 1, max: 10 ** 7 }), { minLength: 1, maxLength: 15 }), // 1e-3 units
  which: fc.constantFrom('dev_up', 'dev_down', 'band_low', 'band_high', 'depth'),
  nudge: fc.constantFrom(0n, 10n ** 12n, -(10n ** 12n), 1n, -1n),
  side: fc.constantFrom<'bid' | 'ask'>('bid', 'ask'),
});

describe('audit: fat-finger guards against exact decisions at every limit', () => {
  it('refuses exactly the orders past a limit, with the first guard that applies', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(input, (s) => {
        const last = BigInt(s.last) * S;
        const bid = last - (last * BigInt(s.spreadBp)) / 10_000n;
        const ask = last + (last * BigInt(s.spreadBp)) / 10_000n;
        const limits: FatFingerLimits = {
          maxDeviationFromLastTrade: new Decimal(s.maxBp).div(10_000),
          bookBandTolerance: new Decimal(s.tolBp).div(10_000),
          maxDepthFraction: new Decimal(s.fracPct).div(100),
        };
        const levels: BookLevel[] = s.sizes.map((k, i) => ({ price: s.last + i, size: k / 1000 }));
        const depth = s.sizes.reduce((a, k) => a + BigInt(k), 0n) * 10n ** 17n; // in 1e-20
        const cap = (depth * BigInt(s.fracPct)) / 100n;
        const base =
          s.which === 'dev_up'
            ? last + (last * BigInt(s.maxBp)) / 10_000n
            : s.which === 'dev_down'
              ? last - (last * BigInt(s.maxBp)) / 10_000n
              : s.which === 'band_low'
                ? bid - (bid * BigInt(s.tolBp)) / 10_000n
                : s.which === 'band_high'
                  ? ask + (ask * BigInt(s.tolBp)) / 10_000n
                  : last;
        const p = base + (s.which === 'depth' ? 0n : s.nudge * 10n ** 8n);
        if (p <= 0n) return;
        const size = s.which === 'depth' ? cap + s.nudge * 10n ** 8n : cap / 2n;
        if (size <= 0n) return;
        const draft: OrderDraft = {
          market: BTC,
          side: s.side,
          ordType: 'limit',
          price: price(dec(p)),
          volume: volume(dec(size)),
        };
        const book = {
          market: BTC,
          timestamp: 0 as EpochMs,
          bids: s.side === 'ask' ? levels : [{ price: Number(dec(bid)), size: 1 }],
          asks: s.side === 'bid' ? levels : [{ price: Number(dec(ask)), size: 1 }],
        };
        // Best quotes as the caller holds them exactly (the book's doubles carry the depth here).
        const known = { bid: price(dec(bid)), ask: price(dec(ask)) };
        const got = fatFingerChecker({ lastTradePrice: price(dec(last)), book }, limits, known)(draft)?.code;
        const dev = p > last ? p - last : last - p;
        const low = bid * (10_000n - BigInt(s.tolBp));
        const high = ask * (10_000n + BigInt(s.tolBp));
        const want =
          dev * 10_000n > last * BigInt(s.maxBp)
            ? 'fat_finger_last_trade'
            : p * 10_000n < low || p * 10_000n > high
              ? 'fat_finger_band'
              : size * 100n > depth * BigInt(s.fracPct)
                ? 'fat_finger_depth'
                : undefined;
        expect(got).toBe(want);
        seen.set(String(want), (seen.get(String(want)) ?? 0) + 1);
      }),
      RUNS,
    );
    // Coverage on the fixed seed: every outcome occurs.
    for (const k of ['fat_finger_last_trade', 'fat_finger_band', 'fat_finger_depth', 'undefined'])
      expect(seen.get(k) ?? 0).toBeGreaterThan(50);
  });
});
