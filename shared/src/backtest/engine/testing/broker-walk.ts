import fc from 'fast-check';
import type { Candle } from '../../../domain/market/market-data';
import type { Market } from '../../../domain/market/market-id';
import { Decimal } from '../../../domain/money/decimal';
import { price, volume } from '../../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../../domain/orders/identifiers';
import { BTC, ETH } from '../../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../../domain/time/epoch';
import type { StrategyName } from '../../../domain/trading/strategy-name';
import type { SimulatedBroker } from '../../broker/simulated-broker';

// A random walk of a simulated broker over two markets, for the engine's property tests of what it
// keeps per broker version (the exposure book, the strategy contexts): limit orders placed around
// the open, then the markets' next bars or a cancel of everything.

/** The walk's two markets, indexed by a generated order's `market`. */
export const WALK_MARKETS: readonly Market[] = [BTC, ETH];

/** A step's orders: up to four limits, each for one of `owners` owners (an index into the caller's list). */
export function walkOrdersArb(owners: number) {
  return fc.array(
    fc.record({
      market: fc.integer({ min: 0, max: 1 }),
      owner: fc.integer({ min: 0, max: owners - 1 }),
      buy: fc.boolean(),
      // Limit price offset from the open in 1,000-won ticks (negative: below it) and size in KRW.
      ticks: fc.integer({ min: -3, max: 3 }),
      krwSize: fc.integer({ min: 6_000, max: 400_000 }),
    }),
    { maxLength: 4 },
  );
}

/** One generated order (see {@link walkOrdersArb}). */
export type WalkOrder = { market: number; owner: number; buy: boolean; ticks: number; krwSize: number };

/** Places a step's orders at `at`, priced from `open`, each leg of one decision id per market. */
export function placeWalkOrders(
  broker: SimulatedBroker,
  orders: readonly WalkOrder[],
  owners: readonly StrategyName[],
  open: number,
  at: EpochMs,
): void {
  orders.forEach((o, leg) => {
    const market = WALK_MARKETS[o.market] as Market;
    const p = open + o.ticks * 1_000;
    const decisionId = makeDecisionId('t', market, at);
    broker.place(
      {
        identifier: orderIdentifier(decisionId, leg),
        market,
        strategy: owners[o.owner] as StrategyName,
        spec: {
          kind: 'limit',
          side: o.buy ? 'bid' : 'ask',
          price: price(new Decimal(p)),
          volume: volume(new Decimal(o.krwSize).div(p).toDecimalPlaces(8, Decimal.ROUND_DOWN)),
          postOnly: false,
        },
        reason: 'test',
        decisionId,
      },
      at,
      price(new Decimal(open)),
    );
  });
}

/**
 * The step's end: with `runBars`, every market's next bar at an open moved by `move` thousand won
 * (±2,000 won of range, so near orders fill); else every order cancelled. The new open and instant.
 */
export function endWalkStep(
  broker: SimulatedBroker,
  step: { readonly runBars: boolean; readonly move: number },
  open: number,
  at: EpochMs,
): { open: number; at: EpochMs } {
  if (!step.runBars) {
    for (const market of WALK_MARKETS) broker.cancelAll(market);
    return { open, at };
  }
  const next = open + step.move * 1_000;
  const nextAt = (at + MS.minute) as EpochMs;
  for (const market of WALK_MARKETS) broker.processBar(walkCandle(market, nextAt, next));
  return { open: next, at: nextAt };
}

/** A flat bar at `open` with ±2,000 won of range. */
function walkCandle(market: Market, at: EpochMs, open: number): Candle {
  return {
    market,
    timeframe: '1m',
    openTime: at,
    open,
    high: open + 2_000,
    low: open - 2_000,
    close: open,
    volume: 5,
    quoteVolume: 5 * open,
  };
}
