import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import { StrategyName } from '../../domain/trading/strategy-name';
import { QuoteLayerOrder } from './quote-layer-order';

const decision = { id: 'd-1', market: 'KRW-BTC' } as unknown as Decision;

function placed(ended: QuoteLayerOrder | undefined, won: number, units: number): QuoteLayerOrder {
  return QuoteLayerOrder.place(
    ended,
    'KRW-BTC' as Market,
    StrategyName.marketMaking,
    decision,
    1,
    'ask',
    won,
    units,
    1_735_689_600_000 as EpochMs,
    krw(ZERO),
    0,
  );
}

// placeKnown's compiled stores assume one layout for new and reused layers: a new layer must have
// every field from its constructor, in the order a reused one holds them.
describe('QuoteLayerOrder.place', () => {
  it('gives a new layer the same fields, in the same order and with the same values, as a reused one', () => {
    const fresh = placed(undefined, 50_000_000, 200_000);
    const old = placed(undefined, 1, 1);
    old.identifier = 'id' as QuoteLayerOrder['identifier'];
    old.reason = 'why';
    old.fillUnits(1);
    const reused = placed(old, 50_000_000, 200_000);
    expect(reused).toBe(old);
    expect(Object.keys(fresh)).toEqual(Object.keys(reused));
    expect(Object.keys(fresh)).toEqual([
      'identifier',
      'reason',
      'commitment',
      'lazyLock',
      'units',
      'placed',
      'market',
      'strategy',
      'quoteOf',
      'leg',
      'side',
      'won',
      'placedAt',
      'lockedKrw',
    ]);
    for (const k of Object.keys(fresh))
      expect((fresh as unknown as Record<string, unknown>)[k]).toEqual(
        (reused as unknown as Record<string, unknown>)[k],
      );
    expect(fresh.spec).toEqual(reused.spec);
    expect(fresh.remaining.toFixed()).toBe(reused.remaining.toFixed());
  });
});
