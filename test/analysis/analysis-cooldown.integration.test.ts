import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw, volume } from '../../shared/src/domain/money/quantities';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../shared/src/domain/orders/local-order';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import {
  closeOf,
  drainDecisions,
  equityPoint,
  memoryDeps,
  seededCandles,
  settingsFor,
} from './support/analysis-harness';

const candles = seededCandles(1, 620);
const [BTC] = [...candles.keys()];
const settings = settingsFor(
  [BTC as NonNullable<typeof BTC>],
  // Market making alone, so its quotes are all this minute decides.
  { stat_arb: false, microstructure: false, momentum_scalping: false, mean_reversion: false },
);

/** The executor's view of a quotes decision some seconds after it arrived: every level resting. */
function resting(d: Decision, placedAt: EpochMs): LocalOrder[] {
  if (d.intent.kind !== 'quotes') return [];
  return d.intent.levels.map((level, leg) => {
    const identifier = orderIdentifier(d.id, leg, 1); // attempt 1: re-priced since the decision
    return {
      identifier,
      decisionId: d.id,
      strategy: d.strategy,
      draft: {
        market: d.market,
        side: level.side,
        ordType: 'limit',
        price: level.price,
        volume: level.volume,
        timeInForce: 'post_only',
        identifier,
      },
      state: 'open',
      uuid: `u-${identifier}`,
      executedVolume: volume(ZERO),
      executedFunds: krw(ZERO),
      paidFee: krw(ZERO),
      createdAt: placedAt,
      updatedAt: placedAt,
      version: 2,
      market: d.market,
    };
  });
}

describe('minute analysis: market-making quotes and the cooldown', () => {
  it("decides the next minute's quotes in full while the previous minute's quotes (re-priced 15 s ago) still rest", async () => {
    const clock = new ManualClock(closeOf(600) + 4 * MS.second);
    const deps = memoryDeps(clock);
    for (const [, list] of candles) await deps.marketData.putCandles(list.slice(0, 602));
    await deps.equity.putPoint(equityPoint(closeOf(599)));

    await analyzeMarkets(deps, { settings });
    const [first] = await drainDecisions(deps.decisionQueue);
    expect(first?.intent.kind).toBe('quotes');
    const bids = first?.intent.kind === 'quotes' ? first.intent.levels.filter((l) => l.side === 'bid') : [];
    expect(bids.length).toBeGreaterThan(0);
    // The executor re-priced every level 45 s into the minute; they rest when the next run starts.
    for (const o of resting(first as Decision, (closeOf(600) + 45 * MS.second) as EpochMs))
      await deps.state.createOrder(o);

    clock.set(closeOf(601) + 4 * MS.second);
    await analyzeMarkets(deps, { settings });
    const [next] = await drainDecisions(deps.decisionQueue);
    expect(next?.intent.kind).toBe('quotes');
    const nextBids = next?.intent.kind === 'quotes' ? next.intent.levels.filter((l) => l.side === 'bid') : [];
    expect(nextBids.length).toBe(bids.length);
    const signals = await deps.signals.listSignals({ from: closeOf(601), to: (closeOf(601) + 1) as EpochMs });
    expect(signals.map((s) => s.fate)).toEqual(['traded']);
  });
});
