import { decimalOfUnits } from '../../domain/money/decimal-units';
import { VOLUME_DECIMALS } from '../../domain/money/quantities';
import { warmLayerReads } from './layer-read-warm-up';
import { QuoteLayerOrder } from './quote-layer-order';

// The warm-up is worth its place only while it reads a layer's remainder through the slot's layer
// branch: the layer's own placed volume, as the decimal its spec holds.
describe('warmLayerReads', () => {
  it("reads a quote layer's remainder through its resting slot: the placed volume's decimal", () => {
    const warm = warmLayerReads();
    expect(warm.layer).toBeInstanceOf(QuoteLayerOrder);
    expect(warm.remaining.toFixed()).toBe(decimalOfUnits(200_000, VOLUME_DECIMALS).toFixed());
    expect(warm.remaining).toBe(warm.layer.spec.volume);
    expect(warm.layer.units).toBe(200_000);
  });

  it('makes a new throwaway layer every time (nothing of a run is read or kept)', () => {
    const a = warmLayerReads();
    const b = warmLayerReads();
    expect(b.layer).not.toBe(a.layer);
    expect(b.remaining.toFixed()).toBe(a.remaining.toFixed());
  });
});
