import fc from 'fast-check';
import {
  makerPrice,
  marketablePrice,
  type Touch,
  tickContext,
  volumeForBudget,
} from '../../executor/src/execution/pricing';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { isOnTick, roundToTick, stepTicks } from '../../shared/src/domain/market/tick-rounding';
import { KRW_TICK_TABLES } from '../../shared/src/domain/market/tick-table';
import { Decimal } from '../../shared/src/domain/money/decimal';
import {
  krw,
  type Price,
  price,
  volumeForBudget as sharedVolumeForBudget,
} from '../../shared/src/domain/money/quantities';
import { validateOrder } from '../../shared/src/domain/orders/validate-order';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { BAND_EDGES } from '../../shared/testing/adversarial-decimals';

/*
 * Audit (issue 16 follow-up): the executor's order prices and sizes, with a decision's limit price,
 * at every tick-band edge of every table (either side of each KST-midnight change) and for an asset
 * with an override. Claims: a marketable limit is the best grid price inside both the slippage guard
 * and the limit (never worse, and not needlessly worse than the guard allows); a maker price never
 * crosses and respects the limit; a budget buys the most whole 1e-8 units it can pay for; the
 * resulting limit order passes the exchange validation whenever its total reaches 5,000 KRW.
 */

const RUNS = { seed: 20261205, numRuns: 1500 } as const;
const AT: readonly EpochMs[] = KRW_TICK_TABLES.flatMap((t) =>
  t.effectiveFrom === 0 ? [1 as EpochMs] : [(t.effectiveFrom - 1) as EpochMs, t.effectiveFrom],
);
const MARKETS = ['KRW-BTC', 'KRW-USDT', 'KRW-XRP'].map(parseMarket);

const setup = fc
  .record({
    at: fc.constantFrom(...AT),
    market: fc.constantFrom(...MARKETS),
    edge: fc.constantFrom(...BAND_EDGES),
    offset: fc.integer({ min: -3, max: 3 }),
    gap: fc.integer({ min: 1, max: 4 }),
    slipBps: fc.constantFrom(0, 1, 5, 10, 50, 100, 1000),
    limitTicks: fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }),
    limitFraction: fc.constantFrom('0', '0.3', '0.5', '0.99'),
  })
  .map((s) => {
    const ctx = tickContext(s.market, KRW_MARKET_RULES, s.at);
    const start = roundToTick(price(String(s.edge)), 'down', ctx);
    const bid = s.offset === 0 ? start : stepTicks(start, s.offset, ctx);
    const ask = stepTicks(bid, s.gap, ctx);
    const touch: Touch = { bid, ask };
    // A limit a few ticks from the touch, maybe between grid points (a strategy's raw number).
    const anchor = s.limitTicks === undefined ? undefined : stepTicks(bid, s.limitTicks, ctx);
    const limit =
      anchor === undefined
        ? undefined
        : price(anchor.plus(stepTicks(anchor, 1, ctx).minus(anchor).times(s.limitFraction)).toFixed());
    return { ...s, ctx, touch, limit, slip: new Decimal(s.slipBps).div(10_000) };
  })
  .filter((s) => s.touch.bid.gt(0) && s.touch.ask.gt(s.touch.bid));

describe('audit: executor pricing with limits at band edges and table changes', () => {
  it('a marketable bid is the highest grid price ≤ min(ask × (1 + slippage), limit), and at least the ask', () => {
    fc.assert(
      fc.property(setup, ({ touch, slip, ctx, limit }) => {
        const p = marketablePrice('bid', touch, slip, ctx, limit);
        const guard = touch.ask.times(slip.plus(1));
        const bound = limit?.lt(guard) ? limit : guard;
        if (limit?.lt(touch.ask)) return expect(p).toBeUndefined();
        expect(p).toBeDefined();
        const q = p as Price;
        expect(isOnTick(q, ctx)).toBe(true);
        expect(q.gte(touch.ask)).toBe(true);
        expect(q.lte(bound)).toBe(true);
        expect(stepTicks(q, 1, ctx).gt(bound)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a marketable ask is the lowest grid price ≥ max(bid × (1 − slippage), limit), and at most the bid', () => {
    fc.assert(
      fc.property(setup, ({ touch, slip, ctx, limit }) => {
        const p = marketablePrice('ask', touch, slip, ctx, limit);
        const guard = touch.bid.times(new Decimal(1).minus(slip));
        const bound = limit?.gt(guard) ? limit : guard;
        if (limit?.gt(touch.bid)) return expect(p).toBeUndefined();
        expect(p).toBeDefined();
        const q = p as Price;
        expect(isOnTick(q, ctx)).toBe(true);
        expect(q.lte(touch.bid)).toBe(true);
        expect(q.gte(bound)).toBe(true);
        // Not needlessly low: one tick less would break the guard, or there is no lower grid price.
        const below = stepTicks(q, -1, ctx);
        expect(below.lt(bound) || below.eq(q)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a maker price is on the grid, never crosses, never beats the limit, and joins the touch when it may', () => {
    fc.assert(
      fc.property(setup, fc.constantFrom('bid' as const, 'ask' as const), ({ touch, ctx, limit }, side) => {
        const p = makerPrice(side, touch, ctx, limit);
        if (p === undefined) {
          // Only when even the least aggressive choice would cross (bid side: price ≤ 0 impossible here).
          throw new Error(`no maker price for ${side} at ${touch.bid}/${touch.ask} limit ${limit}`);
        }
        expect(isOnTick(p, ctx)).toBe(true);
        if (side === 'bid') {
          expect(p.lt(touch.ask)).toBe(true);
          if (limit !== undefined) expect(p.lte(limit)).toBe(true);
          if (limit === undefined || limit.gte(touch.bid)) expect(p.eq(touch.bid)).toBe(true);
          else expect(stepTicks(p, 1, ctx).gt(limit)).toBe(true);
        } else {
          expect(p.gt(touch.bid)).toBe(true);
          if (limit !== undefined) expect(p.gte(limit)).toBe(true);
          if (limit === undefined || limit.lte(touch.ask)) expect(p.eq(touch.ask)).toBe(true);
          else expect(stepTicks(p, -1, ctx).lt(limit)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('a budget buys the most 1e-8 units it pays for, and the order passes validation when ≥ 5,000 KRW', () => {
    const budget = fc.oneof(
      fc.integer({ min: 1, max: 10_000_000 }).map((n) => krw(String(n))),
      fc.constantFrom('4999.99999999', '5000', '5000.00000001', '5005', '999999999.9').map((t) => krw(t)),
    );
    fc.assert(
      fc.property(setup, budget, ({ touch, ctx, at, market }, b) => {
        const p = touch.ask;
        const v = volumeForBudget(b, p);
        expect(v.decimalPlaces()).toBeLessThanOrEqual(8);
        expect(v.times(p).lte(b)).toBe(true);
        expect(v.plus('0.00000001').times(p).gt(b)).toBe(true);
        if (v.isZero() || v.times(p).lt(KRW_MARKET_RULES.minTotal)) return;
        const verdict = validateOrder(
          { market, side: 'bid', ordType: 'limit', price: p, volume: v, timeInForce: 'post_only' },
          KRW_MARKET_RULES,
          at,
        );
        expect(isOnTick(p, ctx)).toBe(true);
        expect(verdict.ok ? 'ok' : verdict.rejection.code).toBe('ok');
      }),
      RUNS,
    );
  });

  it('the executor’s own volumeForBudget (a 40-digit division, then a floor) equals the shared exact floor', () => {
    // Two functions of one name (executor/src/execution/pricing.ts, shared/src/domain/money/quantities.ts):
    // the executor's divides at 40 significant digits before flooring, which could round a quotient
    // just under a 1e-8 step up onto it; budgets with long fractions probe that.
    const budget = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 13n }), fc.integer({ min: 0, max: 30 }))
      .map(([n, e]) => krw(new Decimal(`${n}e-${e}`).toFixed()));
    fc.assert(
      fc.property(setup, budget, ({ touch }, b) => {
        expect(volumeForBudget(b, touch.ask).toFixed()).toBe(sharedVolumeForBudget(b, touch.ask).toFixed());
      }),
      RUNS,
    );
  });
});
