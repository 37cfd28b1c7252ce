import fc from 'fast-check';
import type { Trade } from '../../../domain/market/market-data';
import type { Market } from '../../../domain/market/market-id';
import { epochMs } from '../../../domain/time/epoch';
import { TradeSequence } from './trade-sequence';

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
const trade = (sequentialId: string | number, market = BTC): Trade => ({
  market,
  timestamp: epochMs(1_000),
  price: 1,
  volume: 1,
  takerSide: 'bid',
  sequentialId: String(sequentialId),
});

describe('TradeSequence', () => {
  it("on Upbit's time-derived ids (beyond 2^53) sees repeats and regressions, never a jump as a gap", () => {
    const seq = new TradeSequence(false);
    const verdicts = [
      '17877285547970000',
      '17877285547970001',
      '17877285612340000',
      '17877285612340000',
      '17877285547970002',
    ].map((id) => seq.check(trade(id)).verdict);
    expect(verdicts).toEqual(['first', 'next', 'next', 'duplicate', 'late']);
  });

  it('with dense ids reports a skipped id as a gap, with where it started, per market', () => {
    const seq = new TradeSequence(true);
    expect(seq.check(trade(1)).verdict).toBe('first');
    expect(seq.check(trade(7, ETH)).verdict).toBe('first');
    expect(seq.check(trade(2)).verdict).toBe('next');
    expect(seq.check(trade(5))).toEqual({ verdict: 'gap', previousId: 2n, previousAt: 1_000 });
    expect(seq.check(trade(8, ETH)).verdict).toBe('next');
    expect(seq.fill(trade(3))).toBe(true);
    expect(seq.fill(trade(3))).toBe(false);
    expect(seq.check(trade(4)).verdict).toBe('late');
  });

  it('delivers every id at most once, whatever order, repeats and losses the feed has (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 200 }),
        fc.boolean(),
        (ids, dense) => {
          const seq = new TradeSequence(dense);
          const delivered = ids.filter((id) => seq.check(trade(id)).verdict !== 'duplicate');
          expect(delivered).toEqual([...new Set(ids)]);
        },
      ),
    );
  });
});
