import { MarkoutTracker, type StepCloses } from '../../shared/src/backtest/result/markouts';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Fill } from '../../shared/src/domain/trading/fill';

const BTC = parseMarket('KRW-BTC');
const BAR = 60_000;

function fill(
  side: 'bid' | 'ask',
  p: string,
  at: number,
  strategy: Fill['strategy'] = 'market_making',
): Fill {
  return {
    fillId: `f-${at}-${side}`,
    identifier: 'qts.x.0' as OrderIdentifier,
    market: BTC,
    strategy,
    side,
    price: price(p),
    volume: volume('1'),
    fee: krw('0'),
    isMaker: true,
    at: at as EpochMs,
  };
}

// One market whose close is `close` now; `before` is the previous step's close.
const marks = (close: number, before?: number): StepCloses => ({
  close: (m) => (m === BTC ? close : undefined),
  previousClose: (m) => (m === BTC ? before : undefined),
});

describe('fill mark-outs', () => {
  it('marks each maker fill 1, 5 and 30 bars after its bar opened, signed in our favour', () => {
    const t = new MarkoutTracker(BAR);
    const buy = t.track(fill('bid', '100', 0));
    const sell = t.track(fill('ask', '100', 0, 'stat_arb'));
    const closes = [101, 100, 100, 100, 99];
    closes.forEach((c, i) => {
      t.onStep((i + 1) * BAR, marks(c));
    });
    // After 1 bar the price rose 1 %: +100 bps for the buy, −100 bps for the sell; the run ends
    // before the 30-bar horizon.
    expect(buy).toEqual({ '1': 100, '5': -100, '30': null });
    expect(sell).toEqual({ '1': -100, '5': 100, '30': null });
    const s = t.summary();
    expect(s.all['1']).toEqual({ fills: 2, meanBps: 0, adversePct: 50 });
    expect(s.byStrategy.market_making?.['5']).toEqual({ fills: 1, meanBps: -100, adversePct: 100 });
    expect(s.all['30']).toEqual({ fills: 0, meanBps: null, adversePct: null });
  });

  it('uses the last close before the horizon when no step closes exactly there', () => {
    const t = new MarkoutTracker(BAR);
    const buy = t.track(fill('bid', '100', 0));
    t.onStep(BAR, marks(102));
    // Steps at 2..4 bars are missing (no bar of any market); the 5-bar horizon falls in the gap.
    t.onStep(6 * BAR, marks(90, 102));
    expect(buy['5']).toBe(200);
  });
});
