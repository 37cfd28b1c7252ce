import { aFill, anOrder, BTC, T0 } from '../../../testing/state-builders';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import { LONGEST_LOOK_BACK_MS, sellOrderContext } from './sell-order-context';
import { sellOrderKey } from './trade-stats';

/** A journal holding just `fills` (listFills as the stores answer it) and `store`'s order records. */
function journalOf(fills: readonly Fill[], store = new MemoryStateStore()) {
  return {
    listFills: async (r: { from: EpochMs; to: EpochMs }) =>
      fills.filter((f) => f.at >= r.from && f.at < r.to),
    getOrder: store.getOrder.bind(store),
  };
}

const FROM = T0;
const RANGE = { from: FROM, to: (FROM + MS.day) as EpochMs };
const NOW = (FROM + 40 * MS.day) as EpochMs;

function sells(decisionMinute: number, ats: readonly number[]): Fill[] {
  const identifier = orderIdentifier(makeDecisionId('mr', BTC, decisionMinute as EpochMs));
  return ats.map((at, i) => aFill(`s${i}`, identifier, { side: 'ask', at: at as EpochMs }));
}

describe("sellOrderContext: which of a range's sell orders started before it", () => {
  it('finds a first fill further back than the fixed look-back, to the decision minute', async () => {
    const fills = sells(FROM - 10 * MS.day, [FROM - 9 * MS.day, FROM + MS.hour]);
    const context = await sellOrderContext(journalOf(fills), RANGE, fills.slice(1), NOW);
    expect(context.startedBefore.has(sellOrderKey(fills[1] as Fill))).toBe(true);
  });

  it('does not count an old decision whose order first filled in the range as started before', async () => {
    const fills = sells(FROM - 10 * MS.day, [FROM + MS.hour, FROM + 2 * MS.hour]);
    const context = await sellOrderContext(journalOf(fills), RANGE, fills, NOW);
    expect(context.startedBefore.size).toBe(0);
  });

  it(`looks back at most ${LONGEST_LOOK_BACK_MS / MS.day} days (an order filling for longer is counted again)`, async () => {
    const inside = sells(FROM - 60 * MS.day, [FROM - LONGEST_LOOK_BACK_MS, FROM + MS.hour]);
    const within = await sellOrderContext(journalOf(inside), RANGE, inside.slice(1), NOW);
    expect(within.startedBefore.size).toBe(1);
    const beyond = sells(FROM - 60 * MS.day, [FROM - LONGEST_LOOK_BACK_MS - 1, FROM + MS.hour]);
    const past = await sellOrderContext(journalOf(beyond), RANGE, beyond.slice(1), NOW);
    expect(past.startedBefore.size).toBe(0);
  });

  it("reads an adopted order's creation from its record when its id carries no minute", async () => {
    const store = new MemoryStateStore();
    const order = anOrder('adopt-0123456789abcdef0123456789abcdef', {
      strategy: 'operator',
      createdAt: (FROM - 20 * MS.day) as EpochMs,
    });
    await store.createOrder(order);
    const fills = [FROM - 19 * MS.day, FROM + MS.hour].map((at, i) =>
      aFill(`a${i}`, order.identifier, { side: 'ask', strategy: 'operator', at: at as EpochMs }),
    );
    const context = await sellOrderContext(journalOf(fills, store), RANGE, fills.slice(1), NOW);
    expect(context.startedBefore.has(sellOrderKey(fills[1] as Fill))).toBe(true);
  });
});
