import fc from 'fast-check';
import { BAND_EDGES } from '../../../testing/adversarial-decimals';
import { parseMarket } from '../market/market-id';
import { KRW_MARKET_RULES, lockWithTakerFee, type MarketRules } from '../market/market-rules';
import { KRW_TICK_TABLES } from '../market/tick-table';
import { Decimal } from '../money/decimal';
import { krw, type Price, price, type Volume, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import {
  MAX_IDENTIFIER_LENGTH,
  makeDecisionId,
  orderIdentifier,
  parseDecisionId,
  parseOrderIdentifier,
} from './identifiers';
import type { OrderDraft, OrderSide, TimeInForce } from './order-types';
import { checkFunds, orderLock, orderTotal, validateOrder } from './validate-order';

/*
 * Audit (issue 16 follow-up): the order path's caches and identifiers. validateOrder remembers an
 * "accepted" verdict per (price, volume) pair of objects plus market, side, time in force, rules and
 * tick table; limitLock remembers a bid's lock per pair and rules. The reference is the same call on
 * fresh copies of the decimals with an identifier set (which bypasses every cache), so any verdict
 * or lock reused for the wrong market, rules, side or tick table (a KST-midnight table change) shows.
 */

const RUNS = { seed: 20261205, numRuns: 1000 } as const;

// Instants either side of every tick-table change (KST midnight) and one ms before/after.
const INSTANTS: readonly EpochMs[] = KRW_TICK_TABLES.slice(1).flatMap((t) => [
  (t.effectiveFrom - 1) as EpochMs,
  t.effectiveFrom,
  (t.effectiveFrom + 1) as EpochMs,
]);
const MARKETS = ['KRW-BTC', 'KRW-USDT', 'KRW-ADA', 'KRW-XRP'].map(parseMarket);
const RULES: readonly MarketRules[] = [
  KRW_MARKET_RULES,
  { ...KRW_MARKET_RULES, minTotal: krw('10000'), takerFee: new Decimal('0.0025') },
  { ...KRW_MARKET_RULES, maxTotal: krw('20000'), tickTables: KRW_TICK_TABLES.slice(0, 2) },
];
const TIFS: readonly (TimeInForce | undefined)[] = [undefined, 'post_only', 'ioc', 'fok'];

// A pool of price and volume objects shared across calls, as the risk check and the broker share them.
const priceText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...BAND_EDGES),
      fc.constantFrom('0', '1', '-1', '0.5', '5', '0.1', '0.01', '-0.001'),
    )
    .map(([edge, d]) => new Decimal(edge).plus(d))
    .filter((d) => d.gt(0))
    .map((d) => d.toFixed()),
  fc.integer({ min: 1, max: 2_000_000 }).map((n) => String(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => (n / 10).toString()),
  // On every table's grid (each tick above 1,000 KRW divides 1,000): mostly accepted.
  fc.integer({ min: 1, max: 3000 }).map((n) => String(n * 1000)),
);
const volumeText = fc.oneof(
  fc.constantFrom('1', '0.00000001', '0.000000001', '0.5', '5', '50', '1000000'),
  fc.integer({ min: 1, max: 10 ** 9 }).map((n) => new Decimal(`${n}e-8`).toFixed()),
  fc.integer({ min: 1, max: 10 ** 6 }).map((n) => String(n)),
);
const call = fc.record({
  p: fc.nat(5),
  v: fc.nat(5),
  market: fc.constantFrom(...MARKETS),
  side: fc.constantFrom<OrderSide>('bid', 'ask'),
  tif: fc.constantFrom(...TIFS),
  rules: fc.nat(RULES.length - 1),
  at: fc.constantFrom(...INSTANTS),
});

function verdict(r: ReturnType<typeof validateOrder>): string {
  return r.ok ? 'ok' : r.rejection.code;
}

describe('audit: validateOrder and limit-facts caches against uncached verdicts', () => {
  it('every verdict, total and lock equals the one for fresh decimals with an identifier (no cache)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(priceText, { minLength: 6, maxLength: 6 }),
        fc.array(volumeText, { minLength: 6, maxLength: 6 }),
        fc.array(call, { minLength: 1, maxLength: 20 }),
        (pts, vts, calls) => {
          const prices: Price[] = pts.map((t) => price(t));
          const volumes: Volume[] = vts.map((t) => volume(t));
          for (const c of calls) {
            const rules = RULES[c.rules] as MarketRules;
            const p = prices[c.p] as Price;
            const v = volumes[c.v] as Volume;
            const draft: OrderDraft = {
              market: c.market,
              side: c.side,
              ordType: 'limit',
              price: p,
              volume: v,
              ...(c.tif === undefined ? {} : { timeInForce: c.tif }),
            };
            const fresh: OrderDraft = {
              ...draft,
              price: price(p.toFixed()),
              volume: volume(v.toFixed()),
              identifier: 'audit',
            };
            const got = verdict(validateOrder(draft, rules, c.at));
            const want = verdict(validateOrder(fresh, rules, c.at));
            expect(got).toBe(want);
            if (got === 'ok') accepted += 1;
            else refused += 1;
            expect(orderTotal(draft)?.toFixed()).toBe(p.times(v).toFixed());
            if (c.side === 'bid') {
              expect(orderLock(draft, rules).toFixed()).toBe(lockWithTakerFee(p.times(v), rules).toFixed());
              const lock = lockWithTakerFee(p.times(v), rules);
              expect(checkFunds(draft, lock, rules).ok).toBe(true);
              expect(checkFunds(draft, lock.minus('1e-20'), rules).ok).toBe(false);
            }
          }
        },
      ),
      RUNS,
    );
    // Coverage on the fixed seed: both verdicts occur often.
    expect(accepted).toBeGreaterThan(800);
    expect(refused).toBeGreaterThan(1000);
  });
});

describe('audit: order identifiers', () => {
  const scope = fc.stringMatching(/^[A-Za-z0-9_:-]{1,8}$/);
  const minute = fc.integer({ min: 0, max: 253_402_300_799_999 }).map((n) => n as EpochMs);
  const seq = fc.oneof(fc.nat(99), fc.integer({ min: -99, max: -1 }), fc.nat(Number.MAX_SAFE_INTEGER));
  const triple = fc.record({ scope, market: fc.constantFrom(...MARKETS), minute, seq });

  it('distinct (scope, market, minute, seq) give distinct decision ids; the same minute gives the same id', () => {
    fc.assert(
      fc.property(triple, triple, (a, b) => {
        const id = (t: typeof a) => {
          try {
            return makeDecisionId(t.scope, t.market, t.minute, t.seq);
          } catch {
            return undefined; // too long: refused, never a collision
          }
        };
        const x = id(a);
        const y = id(b);
        if (x === undefined || y === undefined) return;
        const sameKey =
          a.scope === b.scope &&
          a.market === b.market &&
          Math.floor(a.minute / 60_000) === Math.floor(b.minute / 60_000) &&
          a.seq === b.seq;
        expect(x === y).toBe(sameKey);
        // Same scope and market with a nearby minute: the collision candidates that matter.
        const c = { ...a, minute: (a.minute + 60_000 * (1 + Math.abs(b.seq % 3))) as EpochMs };
        const z = id(c);
        if (z !== undefined) expect(z).not.toBe(x);
      }),
      { ...RUNS, numRuns: 3000 },
    );
  });

  it('identifiers are distinct per (decision, leg, attempt), ≤ 64 chars of a safe charset, and parse back', () => {
    const decision = fc.stringMatching(/^[A-Za-z0-9_:-]{1,48}$/);
    const key = fc.record({ d: decision, leg: fc.nat(99), attempt: fc.nat(99) });
    fc.assert(
      fc.property(key, key, (a, b) => {
        const x = orderIdentifier(parseDecisionId(a.d), a.leg, a.attempt);
        const y = orderIdentifier(parseDecisionId(b.d), b.leg, b.attempt);
        expect(x.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
        expect(x).toMatch(/^[A-Za-z0-9_:.-]+$/);
        expect(parseOrderIdentifier(x)).toEqual({ decisionId: a.d, leg: a.leg, attempt: a.attempt });
        const same = a.d === b.d && a.leg === b.leg && a.attempt === b.attempt;
        expect(x === y).toBe(same);
      }),
      { ...RUNS, numRuns: 3000 },
    );
  });
});
