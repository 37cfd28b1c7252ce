import { SEND_BLOCKED } from '../src/ports/trading-venue';
import { BTC, ETH, limit, nextId, UNKNOWN_UUID, type VenueSuite } from './trading-venue-contract-support';

/** The contract's order-lifecycle cases: idempotent identifiers, cancels, lookups, the send guard, listing. */
export function venueOrderCases(s: VenueSuite): void {
  it('returns the existing order when an identifier is placed again, never a second order', async () => {
    const identifier = nextId();
    const first = await s.place(limit('bid', '150000000', '0.002'), identifier);
    const again = await s.place(limit('bid', '149000000', '0.001'), identifier);
    expect(again.uuid).toBe(first.uuid);
    expect((await s.venue.listOpenOrders(BTC)).map((o) => o.uuid)).toEqual([first.uuid]);
    expect(await s.account('KRW')).toEqual({ balance: '699850', locked: '300150' });
    await s.h.printTrade(BTC, '149999000', '0.002', 'ask');
    const afterFill = await s.place(limit('bid', '150000000', '0.002'), identifier);
    expect([afterFill.uuid, afterFill.state]).toEqual([first.uuid, 'done']);
    expect(await s.account('KRW')).toEqual({ balance: '699850', locked: '0' });
  });

  it('cancels an open order, releases its lock, and answers order_not_found to a second cancel', async () => {
    const identifier = nextId();
    const placed = await s.place(limit('bid', '150000000', '0.002'), identifier);
    const answer = await s.venue.cancelOrder({ uuid: placed.uuid });
    expect(answer.uuid).toBe(placed.uuid);
    expect(['wait', 'cancel']).toContain(answer.state);
    expect((await s.read(placed)).state).toBe('cancel');
    expect(await s.account('KRW')).toEqual({ balance: '1000000', locked: '0' });
    expect(await s.venue.listOpenOrders()).toEqual([]);
    expect(await s.refusal(s.venue.cancelOrder({ identifier }))).toEqual({
      kind: 'rejected',
      code: 'order_not_found',
    });
  });

  it('keeps the filled part of a partly filled order when it is cancelled', async () => {
    const placed = await s.place(limit('bid', '150000000', '0.002'));
    await s.h.printTrade(BTC, '149999000', '0.0005', 'ask');
    const partial = await s.read(placed);
    expect([partial.state, partial.remainingVolume?.toFixed(), partial.locked.toFixed()]).toEqual([
      'wait',
      '0.0015',
      '225112.5',
    ]);
    expect(partial.paidFee.toFixed()).toBe('37.5');
    await s.venue.cancelOrder({ uuid: placed.uuid });
    const cancelled = await s.read(placed);
    expect([cancelled.state, cancelled.executedVolume.toFixed()]).toEqual(['cancel', '0.0005']);
    expect(await s.account('KRW')).toEqual({ balance: '924962.5', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0.0005', locked: '0' });
  });

  it('knows nothing of unknown uuids and identifiers', async () => {
    const identifier = nextId();
    expect(await s.venue.getOrder({ uuid: UNKNOWN_UUID })).toBeUndefined();
    expect(await s.venue.getOrder({ identifier })).toBeUndefined();
    const notFound = { kind: 'rejected', code: 'order_not_found' };
    expect(await s.refusal(s.venue.cancelOrder({ uuid: UNKNOWN_UUID }))).toEqual(notFound);
    expect(await s.refusal(s.venue.cancelOrder({ identifier }))).toEqual(notFound);
  });

  it('finds the same order with its trades by uuid and by identifier', async () => {
    const identifier = nextId();
    const placed = await s.place(limit('bid', '150500000', '0.001'), identifier);
    const byUuid = await s.venue.getOrder({ uuid: placed.uuid });
    const byIdentifier = await s.venue.getOrder({ identifier });
    expect(byUuid?.identifier).toBe(identifier);
    expect(byIdentifier?.uuid).toBe(placed.uuid);
    expect(byIdentifier?.state).toBe(byUuid?.state);
    expect(byUuid?.trades?.map((t) => [t.side, t.volume.toFixed()])).toEqual([['bid', '0.001']]);
    expect(byIdentifier?.trades?.map((t) => t.uuid)).toEqual(byUuid?.trades?.map((t) => t.uuid));
  });

  it('sends nothing when the send guard gives a reason, and refuses with send_blocked', async () => {
    const identifier = nextId();
    const blocked = s.venue.placeOrder(
      { ...limit('bid', '150000000', '0.002'), identifier },
      () => 'latched',
    );
    expect(await s.refusal(blocked)).toEqual({ kind: 'rejected', code: SEND_BLOCKED });
    expect(await s.venue.getOrder({ identifier })).toBeUndefined();
    expect(await s.account('KRW')).toEqual({ balance: '1000000', locked: '0' });
    const asked: string[] = [];
    await s.venue.placeOrder({ ...limit('bid', '150000000', '0.002'), identifier: nextId() }, () => {
      asked.push('asked');
      return undefined;
    });
    expect(asked.length).toBeGreaterThanOrEqual(1);
  });

  it('lists open orders per market and drops them once closed', async () => {
    const btc = await s.place(limit('bid', '150000000', '0.002'));
    const eth = await s.place({ ...limit('bid', '5000000', '0.002'), market: ETH });
    const gone = await s.place(limit('bid', '149000000', '0.001'));
    await s.venue.cancelOrder({ uuid: gone.uuid });
    expect((await s.venue.listOpenOrders(BTC)).map((o) => o.uuid)).toEqual([btc.uuid]);
    expect((await s.venue.listOpenOrders(ETH)).map((o) => [o.uuid, o.market])).toEqual([[eth.uuid, ETH]]);
    const all = await s.venue.listOpenOrders();
    expect(all.map((o) => o.uuid).sort()).toEqual([btc.uuid, eth.uuid].sort());
    expect(all.every((o) => o.state === 'wait')).toBe(true);
  });

  it('books a buy-then-sell round trip exact to the won: deposits − fees ± fills', async () => {
    const buy = await s.read(await s.place(limit('bid', '150500000', '0.001')));
    expect(buy.executedVolume.toFixed()).toBe('0.001');
    const sell = await s.place(limit('ask', '150300000', '0.001'));
    expect(await s.account('BTC')).toEqual({ balance: '0', locked: '0.001' });
    await s.h.printTrade(BTC, '150400000', '0.001', 'bid');
    const sold = await s.read(sell);
    expect(sold.state).toBe('done');
    expect(buy.paidFee.plus(sold.paidFee).toFixed()).toBe('150.2');
    expect(await s.account('KRW')).toEqual({ balance: '1000049.8', locked: '0' });
    expect(await s.account('BTC')).toEqual({ balance: '0', locked: '0' });
  });
}
