import fc from 'fast-check';
import type { Market } from '../src/domain/market/market-id';
import { Decimal } from '../src/domain/money/decimal';
import { krw, volume } from '../src/domain/money/quantities';
import type { EpochMs } from '../src/domain/time/epoch';
import type { Position } from '../src/domain/trading/position';

/** A market maker's KRW-BTC position of `units` × 1e-8 coins that cost `cost`. */
export function exitPosition(units: number, cost: Decimal): Position {
  return {
    market: 'KRW-BTC' as Market,
    strategy: 'market_making',
    volume: volume(new Decimal(units).div(1e8)),
    cost: krw(cost),
    realizedPnl: krw(new Decimal(0)),
    feesPaid: krw(new Decimal(0)),
    updatedAt: 0 as EpochMs,
    version: 1,
  };
}

/** decimal.js alone: the net return, the liquidation value and the verdict the fast paths must give. */
export function referenceExit(p: Position, bid: Decimal, fee: Decimal, sl: Decimal, tp: Decimal) {
  const value = p.volume.times(bid).times(new Decimal(1).minus(fee));
  const r = value.div(p.cost).minus(1);
  const kind = r.lte(sl.negated()) ? 'stop_loss' : r.gte(tp) ? 'take_profit' : undefined;
  return { kind, r, value };
}

/** Where a case's cost lies, from the holding's value and the costs that put it right at each threshold. */
export type ExitCosts = (at: {
  readonly value: Decimal;
  readonly atSl: Decimal;
  readonly atTp: Decimal;
  readonly nudge: number;
}) => fc.Arbitrary<Decimal>;

/**
 * Exit cases `[units, bid, stopLoss, takeProfit, cost]`: holdings up to 50 coins at bids of 1,000 to
 * 200,000,000 KRW, two stop-loss and two take-profit settings, and a cost drawn by `costs` (right at a
 * threshold, a hair beside it, or around it) for the sell fee `fee`.
 */
export function exitCases(fee: Decimal, costs: ExitCosts) {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 5_000_000_000 }),
      fc.integer({ min: 1_000, max: 200_000_000 }),
      fc.constantFrom(new Decimal('0.003'), new Decimal('0.02')),
      fc.constantFrom(new Decimal('0.005'), new Decimal('0.04')),
      fc.integer({ min: -3, max: 3 }),
    )
    .chain(([units, bid, sl, tp, nudge]) => {
      const value = new Decimal(units).div(1e8).times(bid).times(new Decimal(1).minus(fee));
      const atSl = value.div(new Decimal(1).minus(sl));
      const atTp = value.div(new Decimal(1).plus(tp));
      return fc.tuple(
        fc.constant(units),
        fc.constant(bid),
        fc.constant(sl),
        fc.constant(tp),
        costs({ value, atSl, atTp, nudge }),
      );
    });
}
