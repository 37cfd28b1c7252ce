import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningExecutor } from '../../executor/src/executor-types';
import { startExecutor } from '../../executor/src/start-executor';
import type { ExecutorPorts } from '../../executor/src/wiring/build-ports';
import { PaperVenue } from '../../executor/src/wiring/paper-venue';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { type Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { makeDecisionId, type OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import type { Fill } from '../../shared/src/domain/trading/fill';
import type { VenueOrder } from '../../shared/src/ports/trading-venue';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { eventually, type RealWorld, realWorld } from '../executor/support/real-world';
import { backtestOrders, type ScriptedOrder } from './support/backtest-orders';
import { BAR_MS, barOpen, TAPE_MARKET, writeParityTape } from './support/parity-tape';

const STRATEGY = 'market_making' as const;
/** The paper fills of the buy and of the sell, one per print that reached them (sorted as text). */
const PARTIALS = [
  ['0.0005', '0.001', '0.0015'],
  ['0.001', '0.002'],
];

/**
 * Paper vs backtest on one recorded tape. The executor runs in paper mode against the sim replaying
 * the tape (sim time held at a bar's open while a decision is executed, then the bar replayed), once
 * with its in-process paper venue (`paperVenue: local`, the default) and once with orders on the sim
 * (`paperVenue: sim`). The orders it placed are then given to the backtester's broker on the same
 * tape, on the open of the bar they were placed in. Fills and PnL must agree exactly.
 */
describe.each(['local', 'sim'] as const)('paper (%s venue) and backtest on the same tape', (paperVenue) => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-parity-'));
  const root = join(dir, 'tape');
  writeParityTape(root);
  const simClock = new ManualClock(Date.UTC(2030, 0, 1));
  let w: RealWorld;
  let ports: ExecutorPorts;
  let running: RunningExecutor;
  let seq = 0;

  beforeAll(async () => {
    w = await realWorld({ exchange: { tapePath: root, clock: simClock } });
    const extra = {
      QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0',
      // Sim time stands still while a decision is executed: no book update comes, and that is fine here.
      QTS_EXECUTOR__STALE_BOOK_SECONDS: '600',
      QTS_EXECUTOR__PAPER_VENUE: paperVenue,
    };
    const config = w.config(extra);
    const sim = w.ports(config);
    // paperVenue: local is wired as buildPorts wires it (the venue the feed feeds, no private channel).
    const paper =
      paperVenue === 'local'
        ? new PaperVenue({
            markets: config.markets,
            clock: new SystemClock(),
            logger: w.logger,
            stateFile: config.executor.paperStateFile,
            balanceKrw: config.executor.paperBalanceKrw,
          })
        : undefined;
    ports =
      paper === undefined ? sim : { ...sim, venue: paper, paper, privateChannel: false, venueKind: 'paper' };
    running = await startExecutor({ config, ports, opsPort: 0, queueWaitMs: 1_000, logger: w.logger });
    await running.reconciled;
  }, EMULATOR_STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    if (process.env.PARITY_TEST_LOG !== undefined)
      require('node:fs').writeFileSync(`${process.env.PARITY_TEST_LOG}.${paperVenue}`, w.lines.join('\n'));
    await running?.stop();
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sim time (the tape's) to `at`: every recorded event up to it is replayed. */
  const replayTo = (at: number) => {
    simClock.advance(at - w.fake.controls.now());
    w.fake.controls.stepMarket();
  };

  const decide = async (intent: DecisionIntent): Promise<Decision> => {
    const now = Date.now();
    const d: Decision = {
      id: makeDecisionId('parity', TAPE_MARKET, now as EpochMs, ++seq),
      market: TAPE_MARKET,
      createdAt: now as EpochMs,
      expiresAt: (now + 600_000) as EpochMs,
      source: 'ensemble',
      strategy: STRATEGY,
      intent,
      signals: [],
    };
    await w.sendDecision(d);
    return d;
  };

  /** Holds sim time at bar `n`'s open while the decision becomes a resting order; returns it. */
  const executeAtBar = async (n: number, intent: DecisionIntent): Promise<VenueOrder> => {
    replayTo(barOpen(n));
    await decide(intent);
    const [order] = await eventually('the order to rest on the paper venue', async () => {
      const open = await ports.venue.listOpenOrders(TAPE_MARKET);
      return open.length === 1 ? open : undefined;
    });
    return order as VenueOrder;
  };

  it('places the same orders, gets the same fills in the same bar and books the same PnL to the won', async () => {
    await eventually(
      'the feed to have the recorded book',
      async () => running.health().checks.marketData?.ok,
    );
    const buy = await executeAtBar(1, {
      kind: 'directional',
      side: 'bid',
      notional: krw('300000'),
      urgency: 'passive',
    });
    replayTo(barOpen(2));
    await eventually('the buy to be booked', async () =>
      (await w.store.getPosition(TAPE_MARKET, STRATEGY))?.volume.eq('0.003'),
    );
    const sell = await executeAtBar(2, {
      kind: 'directional',
      side: 'ask',
      notional: krw('1000000'),
      urgency: 'passive',
    });
    replayTo(barOpen(3));
    const paperPosition = await eventually('the sell to be booked', async () => {
      const p = await w.store.getPosition(TAPE_MARKET, STRATEGY);
      return p?.volume.isZero() === true ? p : undefined;
    });

    // The executor's maker-first plan joined the best bid, then the best ask, with post-only limits.
    expect([buy.side, buy.price?.toFixed(), buy.volume?.toFixed()]).toEqual(['bid', '100000000', '0.003']);
    expect([sell.side, sell.price?.toFixed(), sell.volume?.toFixed()]).toEqual(['ask', '100001000', '0.003']);

    const scripted: ScriptedOrder[] = [buy, sell].map((o, i) => ({
      barOpen: barOpen(i + 1),
      identifier: o.identifier as OrderIdentifier,
      side: o.side,
      price: o.price as never,
      volume: o.volume as never,
      postOnly: true,
    }));
    const backtest = await backtestOrders(root, TAPE_MARKET, STRATEGY, scripted, BAR_MS);
    expect(backtest.rejections).toEqual([]);

    // Per order: the same volume at the same (maker, limit) price, the same fee, the same bar.
    const paperFills: Fill[] = (
      await w.store.listFills({ from: barOpen(0), to: (Date.now() + 3_600_000) as EpochMs })
    ).filter((f) => f.strategy === STRATEGY);
    for (const [i, o] of scripted.entries()) {
      const mine = paperFills.filter((f) => f.identifier === o.identifier);
      const theirs = backtest.fills.filter((f) => f.fill.identifier === o.identifier).map((f) => f.fill);
      const sum = (fills: readonly Fill[], pick: (f: Fill) => Decimal) =>
        fills.reduce((acc: Decimal, f) => acc.plus(pick(f)), ZERO).toFixed();
      // Print by print, worked out from the tape by hand: the queue ahead is respected (a venue that
      // put us first in the queue would fill 0.003 on the first print at the price).
      expect(mine.map((f) => f.volume.toFixed()).sort()).toEqual(PARTIALS[i]);
      expect(theirs).toHaveLength(1);
      expect(sum(mine, (f) => f.volume)).toBe(sum(theirs, (f) => f.volume));
      expect(sum(mine, (f) => f.fee)).toBe(sum(theirs, (f) => f.fee));
      expect(mine.every((f) => f.isMaker && f.price.eq(o.price))).toBe(true);
      expect(theirs[0]?.at).toBe(barOpen(i + 1));
      // The sim stamps fills with tape time: each lies inside the bar the backtester fills in.
      if (paperVenue === 'sim')
        for (const f of mine) expect(f.at >= barOpen(i + 1) && f.at < barOpen(i + 2)).toBe(true);
    }
    // 0.003 bought at 100,000,000 and sold at 100,001,000, 0.05 % maker fee on each leg:
    // 3 − 150 − 150.0015 = −297.0015 KRW.
    expect(paperPosition.realizedPnl.toFixed()).toBe('-297.0015');
    expect(backtest.position.realizedPnl.toFixed()).toBe(paperPosition.realizedPnl.toFixed());
    expect(backtest.position.feesPaid.toFixed()).toBe(paperPosition.feesPaid.toFixed());
    expect(backtest.position.volume.toFixed()).toBe('0');
  });
});
