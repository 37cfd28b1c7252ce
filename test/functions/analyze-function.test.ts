import { analyzeFunction } from '../../functions/analyze/handler';
import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { scheduledEvent } from '../../functions/lib/local-invoke';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { Market } from '../../shared/src/domain/market/market-id';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import { MS } from '../../shared/src/domain/time/epoch';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { closeOf, drainDecisions, equityPoint, seededCandles } from '../analysis/support/analysis-harness';
import { captureStdout, functionWorld } from './support/function-world';

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

type World = Awaited<ReturnType<typeof functionWorld>>;
let w: World;
beforeEach(async () => {
  w = await functionWorld();
});
afterEach(() => w.close());

const candles = seededCandles(2, 601);
const [BTC, ETH] = [...candles.keys()] as [Market, Market];

/** The stack with candles up to minute `last` (per market) and an executor equity point. */
async function seed(last: Partial<Record<Market, number>> = {}): Promise<void> {
  for (const [market, list] of candles)
    await w.marketData.putCandles(list.slice(0, (last[market] ?? 600) + 1));
  await w.equity.putPoint(equityPoint(closeOf(599)));
}

function invoke(clock: ManualClock, env = w.env) {
  const handler = lambdaHandler(analyzeFunction, { ...env, QTS_MARKETS: `${BTC},${ETH}` }, { clock });
  return handler(scheduledEvent(clock.now()), w.context('analyze')) as Promise<Record<string, unknown>>;
}

describe('analyze function on DynamoDB Local + fauxqs', () => {
  it('turns seeded market state into decisions on the FIFO queue with the expected ids, once', async () => {
    await seed();
    const clock = new ManualClock(closeOf(600) + 4 * MS.second);
    const first = await invoke(clock);
    expect(first).toMatchObject({ ok: true, decisionAt: closeOf(600), analysed: [BTC, ETH], skipped: [] });
    const sent = await drainDecisions(w.decisionQueue);
    expect(sent.map((d) => d.id)).toEqual(
      expect.arrayContaining([
        makeDecisionId('mmq', BTC, closeOf(600)),
        makeDecisionId('mmq', ETH, closeOf(600)),
      ]),
    );
    expect(first.decisionsSent).toBe(sent.length);
    expect(await w.status.getStatus('analysis')).toMatchObject({ healthy: true });
    // Lambda retries the same minute: nothing new reaches the queue.
    clock.advance(20 * MS.second);
    const retry = await invoke(clock);
    expect(retry).toMatchObject({ decisionsSent: 0, alreadyAnalysed: [BTC, ETH] });
    expect(await drainDecisions(w.decisionQueue)).toEqual([]);
  }, 60_000);

  it('skips a market whose data is stale, decides nothing for it and logs why', async () => {
    await seed({ [ETH]: 590 });
    const clock = new ManualClock(closeOf(600) + 4 * MS.second);
    const out = captureStdout();
    let run: Record<string, unknown>;
    try {
      run = await invoke(clock, { ...w.env, POWERTOOLS_LOG_LEVEL: 'INFO' });
    } finally {
      out.restore();
    }
    expect(run).toMatchObject({
      analysed: [BTC],
      skipped: [{ market: ETH, reason: expect.stringMatching(/600 s ago/) }],
    });
    expect((await drainDecisions(w.decisionQueue)).some((d) => d.market === ETH)).toBe(false);
    const line = out.lines().find((l) => l.message === 'market skipped');
    expect(line).toMatchObject({
      level: 'WARN',
      market: ETH,
      component: 'analysis',
      correlation_id: expect.any(String),
    });
  }, 60_000);
});
