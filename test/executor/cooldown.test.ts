import type { DecisionMessage } from '../../shared/src/application/messaging/message-envelope';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { directional, executionWorld, firstDelivery, quotes } from './support/execution-world';
import { BTC, T0 } from './support/memory-world';

/**
 * The per-market cooldown (60 s, TEST_LIMITS) as the executor applies it right before sending: in
 * decision time, with market-making quotes exempt. Each test would fail with stamps taken at the
 * executor's placement or fill time.
 */

function message(decision: Decision): DecisionMessage {
  return { type: 'decision', sentAt: decision.createdAt, producer: 'test', decision };
}

const QUOTES = quotes([
  ['bid', '99900000', '0.001'],
  ['bid', '99800000', '0.001'],
]);
const MM = { strategy: 'market_making', source: 'market_making' } as const;

async function states(w: ReturnType<typeof executionWorld>, d: Decision) {
  return (await w.store.listOrdersByDecision(d.id)).map((o) => `${o.identifier} ${o.state}`);
}

describe('executor: the cooldown in decision time, quotes exempt', () => {
  it("places a market-making decision's quotes and a directional buy while the previous minute's quotes rest and one of them filled", async () => {
    const w = executionWorld();
    const q1 = w.decision(QUOTES, MM);
    await w.handler.handle(message(q1), firstDelivery('m-q1'));
    expect(await states(w, q1)).toEqual([`qts.${q1.id}.0.0 open`, `qts.${q1.id}.1.0 open`]);

    // Half a minute later someone sells through the first level: a quote fill of q1.
    await w.clock.advance(30_000);
    w.venue.printTrade(BTC, '99890000', '0.001', 'ask');
    await w.deps.manager.sync(orderIdentifier(q1.id, 0, 0));
    expect(
      (await w.store.listFills({ from: T0 as EpochMs, to: (w.clock.now() + 1) as EpochMs })).length,
    ).toBe(1);

    // The next minute's quotes replace q1's (their own legs rest), and a directional buy goes out.
    await w.clock.advance(30_000);
    const q2 = w.decision(QUOTES, MM);
    await w.handler.handle(message(q2), firstDelivery('m-q2'));
    expect(await states(w, q2)).toEqual([`qts.${q2.id}.0.0 open`, `qts.${q2.id}.1.0 open`]);
    const buy = w.decision(directional('bid', '100000', 'aggressive'));
    await w.handler.handle(message(buy), firstDelivery('m-buy'));
    expect(await states(w, buy)).toEqual([`qts.${buy.id}.0.0 filled`]);

    // The buy itself stamps: another strategy's buy in the same minute is refused.
    const second = w.decision(directional('bid', '100000', 'aggressive'), { strategy: 'mean_reversion' });
    await w.handler.handle(message(second), firstDelivery('m-second'));
    const [refused] = await w.store.listOrdersByDecision(second.id);
    expect(refused?.state).toBe('rejected');
    expect(refused?.rejection?.message).toContain('(cooldown)');
    // …while quotes keep resting and re-pricing regardless.
    expect((await w.venue.listOpenOrders()).map((o) => o.identifier).sort()).toEqual(
      [`qts.${q2.id}.0.0`, `qts.${q2.id}.1.0`].sort(),
    );
  });

  it('places two buys 60 s apart in decision time although the first waited 5 s and the second none', async () => {
    const w = executionWorld();
    const first = w.decision(directional('bid', '100000', 'aggressive'));
    await w.clock.advance(5_000);
    await w.handler.handle(message(first), firstDelivery('m-1'));
    expect(await states(w, first)).toEqual([`qts.${first.id}.0.0 filled`]);

    await w.clock.advance(55_000);
    const second = w.decision(directional('bid', '100000', 'aggressive'));
    expect(second.createdAt - first.createdAt).toBe(60_000);
    await w.handler.handle(message(second), firstDelivery('m-2'));
    expect(await states(w, second)).toEqual([`qts.${second.id}.0.0 filled`]);
  });

  it('refuses a buy decided 59 s after the previous one however late it arrives', async () => {
    const w = executionWorld();
    const first = w.decision(directional('bid', '100000', 'aggressive'));
    await w.handler.handle(message(first), firstDelivery('m-1'));
    await w.clock.advance(59_000);
    const second = w.decision(directional('bid', '100000', 'aggressive'));
    // Sent 61 s after the first was placed: placement times are a minute apart, decisions are not.
    await w.clock.advance(2_000);
    await w.handler.handle(message(second), firstDelivery('m-2'));
    const [refused] = await w.store.listOrdersByDecision(second.id);
    expect(refused?.state).toBe('rejected');
    expect(refused?.rejection?.message).toContain('(cooldown)');
    expect(refused?.rejection?.message).toContain('59000 ms');
  });
});
