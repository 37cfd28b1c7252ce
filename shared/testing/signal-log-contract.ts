import type { Market } from '../src/domain/market/market-id';
import type { DecisionId } from '../src/domain/orders/identifiers';
import { type EpochMs, MS } from '../src/domain/time/epoch';
import type { SignalLog, SignalRecord } from '../src/ports/signal-log';
import { BTC, T0 } from './state-builders';

/** Builds a fresh, empty log for each test. */
export type SignalLogFactory = () => Promise<SignalLog> | SignalLog;

const ETH = 'KRW-ETH' as Market;

function aSignal(overrides: Partial<SignalRecord> = {}): SignalRecord {
  return {
    at: T0,
    market: BTC,
    strategy: 'mean_reversion',
    seq: 0,
    direction: 'buy',
    strength: 0.35,
    reason: 'oversold: close ≤ lower band; RSI 27.1 ≤ 30',
    fate: 'traded',
    decisionId: 'mr-BTC-20261125T0100-0' as DecisionId,
    ...overrides,
  };
}

/**
 * The behaviour every {@link SignalLog} must have (memory fake and DynamoDB Local): exact round trip,
 * rewrite replaces, range reads in time order across KST days, market filter, bad values refused.
 */
export function describeSignalLogContract(name: string, makeLog: SignalLogFactory): void {
  describe(`SignalLog contract: ${name}`, () => {
    let log: SignalLog;
    beforeEach(async () => {
      log = await makeLog();
    });

    it('round-trips records exactly (an absent decision id stays absent)', async () => {
      const a = aSignal();
      const { decisionId: _, ...b } = aSignal({
        strategy: 'stat_arb',
        direction: 'flat',
        strength: 0,
        fate: 'held:flat',
      });
      await log.putSignals([a, b]);
      expect(await log.listSignals({ from: T0, to: (T0 + 1) as EpochMs })).toEqual([a, b]);
    });

    it('replaces a record written again, so a retried analysis never duplicates', async () => {
      await log.putSignals([aSignal({ fate: 'refused:risk:cooldown' })]);
      await log.putSignals([aSignal({ fate: 'traded' })]);
      const got = await log.listSignals({ from: T0, to: (T0 + 1) as EpochMs });
      expect(got.map((r) => r.fate)).toEqual(['traded']);
    });

    it('lists a range across KST days oldest first, optionally for one market', async () => {
      const days = [0, 1, 2].map((d) => (T0 + d * MS.day) as EpochMs);
      await log.putSignals([
        aSignal({ at: days[2] as EpochMs, market: ETH }),
        aSignal({ at: days[0] as EpochMs, market: ETH, seq: 1 }),
        aSignal({ at: days[0] as EpochMs, market: ETH }),
        aSignal({ at: days[1] as EpochMs }),
        aSignal({ at: days[0] as EpochMs }),
      ]);
      const all = await log.listSignals({ from: T0, to: (T0 + 3 * MS.day) as EpochMs });
      expect(all.map((r) => [r.at - T0, r.market, r.seq])).toEqual([
        [0, BTC, 0],
        [0, ETH, 0],
        [0, ETH, 1],
        [MS.day, BTC, 0],
        [2 * MS.day, ETH, 0],
      ]);
      const eth = await log.listSignals({ from: (T0 + 1) as EpochMs, to: (T0 + 3 * MS.day) as EpochMs }, ETH);
      expect(eth.map((r) => r.at - T0)).toEqual([2 * MS.day]);
    });

    it('refuses a non-finite strength before writing anything', async () => {
      await expect(log.putSignals([aSignal({ seq: 1 }), aSignal({ strength: Number.NaN })])).rejects.toThrow(
        /strength/,
      );
      expect(await log.listSignals({ from: T0, to: (T0 + 1) as EpochMs })).toEqual([]);
    });
  });
}
