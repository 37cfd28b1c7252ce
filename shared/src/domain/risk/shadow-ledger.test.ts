import type { Market } from '../market/market-id';
import { ShadowLedger } from './shadow-ledger';
import { QUOTE_AROUND, SHADOW_SETTINGS, shadowBar } from './testing/shadow-fixture';

// The ledger's net PnL starts as a double field (NaN, zeroed in the constructor) so that its hidden
// class does not change at the first round trip: it must still start at +0, sum round trips from
// there, and take a stored ledger's value as it is.

const MARKET = 'KRW-BTC' as Market;

describe('ShadowLedger net PnL', () => {
  it('starts at +0 (not NaN, not −0)', () => {
    const ledger = new ShadowLedger(SHADOW_SETTINGS, QUOTE_AROUND);
    expect(Object.is(ledger.state().netPnl, 0)).toBe(true);
    expect(Object.is(ledger.result().netPnlKrw, 0)).toBe(true);
  });

  it('sums a round trip from +0', () => {
    const ledger = new ShadowLedger(SHADOW_SETTINGS, QUOTE_AROUND);
    ledger.onView(MARKET, 0.8, false);
    ledger.onBar(shadowBar(MARKET, 1, 50_001, 50_500)); // buys 80,000 KRW at the ask 50,002
    ledger.onView(MARKET, -0.5, false);
    const [trade] = ledger.onBar(shadowBar(MARKET, 2, 50_201, 50_300)); // sells at the bid 50,200
    const volume = 80_000 / 50_002;
    const pnl = volume * 50_200 * (1 - 0.0005) - 80_000 * (1 + 0.0005);
    expect(trade?.netPnl).toBe(pnl);
    expect(ledger.state().netPnl).toBe(0 + pnl);
    expect(ledger.result()).toEqual({ trades: 1, wins: 1, netPnlKrw: 0 + pnl, openAtEnd: 0 });
  });

  it("keeps a stored ledger's net PnL", () => {
    const stored = { positions: {}, pending: {}, lastBid: {}, trades: 3, wins: 1, netPnl: -1234.5 };
    expect(new ShadowLedger(SHADOW_SETTINGS, QUOTE_AROUND, stored).state()).toEqual(stored);
  });
});
