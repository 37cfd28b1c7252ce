import fc from 'fast-check';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { exposureBook } from '../../domain/risk/exposure';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../domain/risk/risk-limits';
import { T0 } from '../../domain/risk/testing/risk-builders';
import type { Strategy } from '../../domain/strategies/strategy';
import { strategyContext } from '../../domain/strategies/strategy-step';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { StrategyName } from '../../domain/trading/strategy-name';
import { SimulatedBroker } from '../broker/simulated-broker';
import { ExposureBooks } from './exposure-books';
import { StrategyContexts } from './strategy-contexts';
import { endWalkStep, placeWalkOrders, WALK_MARKETS, walkOrdersArb } from './testing/broker-walk';

// StrategyContexts keeps one context per strategy and market and refills it only when the broker's
// positions or open orders may have changed (the engine's ExposureBooks behind it, as in a run): every context it hands out must read exactly as a
// fresh strategyContext over a fresh exposure book, whatever came and went in between.

const OWNERS = [
  StrategyName.marketMaking,
  StrategyName.momentumScalping,
  StrategyName.meanReversion,
] as const;
// A cap small enough that the room often runs out (availableKrw clamped at 0) and often does not.
const LIMITS: RiskLimits = { ...DEFAULT_RISK_LIMITS, maxStrategyExposure: krw(new Decimal(700_000)) };

/** One step: orders placed, contexts read, then the markets' next bars (or a cancel), contexts read. */
const stepArb = fc.record({
  orders: walkOrdersArb(OWNERS.length),
  runBars: fc.boolean(),
  move: fc.integer({ min: -3, max: 3 }),
  // Which (owner, market) pairs are read, in which order, and whether the average entry is read.
  reads: fc.array(
    fc.record({ owner: fc.integer({ min: 0, max: 2 }), market: fc.integer({ min: 0, max: 1 }) }),
    {
      maxLength: 6,
    },
  ),
  readAverage: fc.boolean(),
});

describe('StrategyContexts', () => {
  it('reads as a fresh context over a fresh exposure book after any orders, fills and cancels (300 runs)', () => {
    let refilled = 0;
    let held = 0;
    let noRoom = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const broker = new SimulatedBroker(krw(new Decimal(2_000_000)), KRW_MARKET_RULES, 0, () => 0.5);
        const books = new ExposureBooks(broker);
        const contexts = new StrategyContexts(broker, LIMITS, () => books.current());
        let at = T0;
        let open = 50_000_000;
        let previousVolume = new Map<string, number>();
        const readAll = (reads: (typeof steps)[number]['reads'], readAverage: boolean, now: EpochMs) => {
          const volumes = new Map<string, number>();
          for (const r of reads) {
            const name = OWNERS[r.owner] as (typeof OWNERS)[number];
            const market = WALK_MARKETS[r.market] as Market;
            const ctx = contexts.contextFor({ name } as Strategy, market, now);
            const book = exposureBook(broker.allPositions(), broker.commitments());
            const fresh = strategyContext(broker.positionOf(market, name, now), book, LIMITS, name, now);
            expect(ctx.now).toBe(now);
            expect(Object.is(ctx.positionVolume, fresh.positionVolume)).toBe(true);
            expect(Object.is(ctx.availableKrw, fresh.availableKrw)).toBe(true);
            if (readAverage) expect(Object.is(ctx.avgEntryPrice, fresh.avgEntryPrice)).toBe(true);
            const key = `${name}|${market}`;
            if (previousVolume.has(key) && previousVolume.get(key) !== ctx.positionVolume) refilled += 1;
            volumes.set(key, ctx.positionVolume);
            if (ctx.positionVolume > 0) held += 1;
            if (ctx.availableKrw === 0) noRoom += 1;
          }
          previousVolume = volumes;
        };
        for (const step of steps) {
          placeWalkOrders(broker, step.orders, OWNERS, open, at);
          // With the orders open (read at the same instant: the cursor path), then after the bar.
          readAll(step.reads, step.readAverage, at);
          ({ open, at } = endWalkStep(broker, step, open, at));
          readAll(step.reads, step.readAverage, (at + MS.minute) as EpochMs);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
    // Contexts followed fills, held volume and ran out of room many times.
    expect(refilled).toBeGreaterThan(100);
    expect(held).toBeGreaterThan(300);
    expect(noRoom).toBeGreaterThan(50);
  });
});
