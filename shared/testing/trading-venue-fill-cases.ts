import { isTradingError } from '../src/domain/errors/trading-error';
import { price, volume } from '../src/domain/money/quantities';
import type { VenueOrder } from '../src/ports/trading-venue';
import { BTC, limit, nextId, type VenueSuite } from './trading-venue-contract-support';

/** The contract's placing and filling cases: locks, maker/taker fills, fees, market orders, refusals. */
export function venueFillCases(s: VenueSuite): void {
  it('rests a limit bid, locking price × volume + 0.05 %, and fills it as maker when a seller trades through', async () => {
    const placed = await s.place(limit('bid', '150000000', '0.002'));
    const resting = await s.read(placed);
    expect(resting).toMatchObject({ state: 'wait', side: 'bid', ordType: 'limit', market: BTC });
    expect(resting.locked.toFixed()).toBe('300150');
    expect(resting.reservedFee.toFixed()).toBe('150');
    expect(await s.account('KRW')).toEqual({ balance: '699850', locked: '300150' });
    await s.h.printTrade(BTC, '149999000', '0.002', 'ask');
    const filled = await s.read(placed);
    expect(filled.state).toBe('done');
    expect(filled.executedVolume.toFixed()).toBe('0.002');
    expect(filled.paidFee.toFixed()).toBe('150');
    expect(filled.trades?.map((t) => [t.price.toFixed(), t.funds.toFixed()])).toEqual([
      ['150000000', '300000'],
    ]);
    expect(await s.account('KRW')).toEqual({ balance: '699850', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0.002', locked: '0' });
  });

  it('rests a limit ask, locking the volume, and fills it as maker when a buyer lifts it', async () => {
    await s.h.fund('BTC', '0.001');
    const placed = await s.place(limit('ask', '150200000', '0.001'));
    expect((await s.read(placed)).state).toBe('wait');
    expect(await s.account('BTC')).toEqual({ balance: '0', locked: '0.001' });
    await s.h.printTrade(BTC, '150300000', '0.001', 'bid');
    const filled = await s.read(placed);
    expect(filled.state).toBe('done');
    expect(filled.paidFee.toFixed()).toBe('75.1');
    expect(await s.account('KRW')).toEqual({ balance: '1150124.9', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0', locked: '0' });
  });

  it('fills a crossing limit bid at once at the ask price and returns the price improvement', async () => {
    const filled = await s.read(await s.place(limit('bid', '150500000', '0.001')));
    expect(filled.state).toBe('done');
    expect(filled.trades?.map((t) => t.price.toFixed())).toEqual(['150100000']);
    expect(filled.paidFee.toFixed()).toBe('75.05');
    expect(await s.account('KRW')).toEqual({ balance: '849824.95', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0.001', locked: '0' });
  });

  it('ends a market buy by KRW total in `cancel` with the floored volume, exact fee and no lock left', async () => {
    const placed = await s.place({ market: BTC, side: 'bid', ordType: 'price', price: price('10000') });
    expect(placed.volume).toBeUndefined();
    const done = await s.read(placed);
    expect(done.state).toBe('cancel');
    expect(done.executedVolume.toFixed()).toBe('0.00006662');
    expect(done.paidFee.toFixed()).toBe('4.999831');
    expect(done.trades?.map((t) => t.funds.toFixed())).toEqual(['9999.662']);
    expect(await s.account('KRW')).toEqual({ balance: '989995.338169', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0.00006662', locked: '0' });
  });

  it('fills a market sell against the bids and takes the fee out of the proceeds', async () => {
    await s.h.fund('BTC', '0.0005');
    const done = await s.read(
      await s.place({ market: BTC, side: 'ask', ordType: 'market', volume: volume('0.0005') }),
    );
    expect(done.state).toBe('done');
    expect(done.paidFee.toFixed()).toBe('37.475');
    expect(done.trades?.map((t) => t.funds.toFixed())).toEqual(['74950']);
    expect(await s.account('KRW')).toEqual({ balance: '1074912.525', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0', locked: '0' });
  });

  it('never lets a post_only order take: refused, or cancelled with no fill and nothing locked', async () => {
    const identifier = nextId();
    let outcome: VenueOrder | { kind: string; code: string } | undefined;
    try {
      outcome = await s.read(
        await s.place(limit('bid', '150100000', '0.001', { timeInForce: 'post_only' }), identifier),
      );
    } catch (error) {
      if (!isTradingError(error)) throw error;
      outcome = { kind: error.kind, code: error.code };
    }
    if ('state' in outcome)
      expect([outcome.state, outcome.executedVolume.toFixed()]).toEqual(['cancel', '0']);
    else expect(outcome.kind).toBe('rejected');
    expect(await s.account('KRW')).toEqual({ balance: '1000000', locked: '0' });
    const maker = await s.read(
      await s.place(limit('bid', '150000000', '0.001', { timeInForce: 'post_only' })),
    );
    expect(maker.state).toBe('wait');
  });

  it.each([
    { code: 'invalid_price_bid', draft: limit('bid', '150000500', '0.001'), why: 'an off-tick bid' },
    { code: 'invalid_price_ask', draft: limit('ask', '150200500', '0.001'), why: 'an off-tick ask' },
    {
      code: 'under_min_total_bid',
      draft: limit('bid', '150000000', '0.00003'),
      why: 'a bid under 5,000 KRW',
    },
    {
      code: 'under_min_total_ask',
      draft: limit('ask', '150200000', '0.00003'),
      why: 'an ask under 5,000 KRW',
    },
    {
      code: 'invalid_volume_bid',
      draft: limit('bid', '150000000', '0.001000001'),
      why: 'a 9-decimal bid volume',
    },
    {
      code: 'invalid_volume_ask',
      draft: limit('ask', '150200000', '0.001000001'),
      why: 'a 9-decimal ask volume',
    },
  ])('refuses $why with $code (kind rejected) and creates nothing', async ({ draft, code }) => {
    await s.h.fund('BTC', '0.01');
    const identifier = nextId();
    expect(await s.refusal(s.place(draft, identifier))).toEqual({ kind: 'rejected', code });
    expect(await s.venue.getOrder({ identifier })).toBeUndefined();
    expect(await s.venue.listOpenOrders()).toEqual([]);
    expect(await s.account('KRW')).toEqual({ balance: '1000000', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0.01', locked: '0' });
  });

  it('refuses orders beyond the available balance and accepts one that needs exactly all of it', async () => {
    await s.h.fund('BTC', '0.005');
    expect(await s.refusal(s.place(limit('bid', '150000000', '0.01')))).toEqual({
      kind: 'rejected',
      code: 'insufficient_funds_bid',
    });
    expect(await s.refusal(s.place(limit('ask', '150200000', '0.01')))).toEqual({
      kind: 'rejected',
      code: 'insufficient_funds_ask',
    });
    await s.h.fund('KRW', '300150');
    expect((await s.read(await s.place(limit('bid', '150000000', '0.002')))).state).toBe('wait');
    expect(await s.account('KRW')).toEqual({ balance: '0', locked: '300150' });
  });
}
