import type { Krw } from '../../domain/money/quantities';
import { LOSS_PERIODS, ledgerEntryAt, recordFillInLedger } from '../../domain/risk/loss-ledger';
import { applyFillToPosition, emptyPosition, type FillEffect } from '../../domain/risk/position-accounting';
import type { Fill } from '../../domain/trading/fill';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { FillJournal, VersionedWrite } from '../../ports/fill-journal';
import { VersionConflictError } from '../../ports/order-repository';
import { currentLedgerEntries } from './load-risk-context';

/** What recording a fill did. */
export type RecordFillResult =
  | { readonly outcome: 'applied'; readonly effect: FillEffect }
  | { readonly outcome: 'duplicate' };

/** Attempts before a version conflict is given back to the caller (another writer keeps winning). */
const MAX_ATTEMPTS = 5;

/**
 * Books one fill: position (average cost, spot only), and the realised PnL and fees of the KST day,
 * week and month it falls in, in one all-or-nothing journal write, so exposure and the loss ledger
 * are always exactly the sum of the fills. Idempotent on `fillId` (checked before accounting, so a replayed sell is not mistaken for an oversell). `equity` is only used to open a
 * period no loss check has opened yet (its start equity). A sell larger than the holding throws a
 * fatal TradingError (an invariant failure: trigger the emergency stop). Version conflicts (a
 * concurrent writer) are retried from a fresh read.
 */
export async function recordFill(
  journal: Pick<FillJournal, 'applyFill' | 'hasFill' | 'getPosition' | 'getLedgerEntry'>,
  fill: Fill,
  equity: Krw,
): Promise<RecordFillResult> {
  // A replayed sell would look like an oversell against the already-reduced position: detect the
  // duplicate by its id before applying it (the stream and REST may stamp the same trade with
  // different times), and once more if the accounting refuses it (a replay booked between the two
  // reads); applyFill's own duplicate check stays the atomic guarantee.
  if (await journal.hasFill(fill.fillId)) return { outcome: 'duplicate' };
  for (let attempt = 1; ; attempt++) {
    const stored = await journal.getPosition(fill.market, fill.strategy);
    const base = stored ?? emptyPosition(fill.market, fill.strategy, fill.at);
    let effect: FillEffect;
    try {
      effect = applyFillToPosition(base, fill);
    } catch (error) {
      if (await journal.hasFill(fill.fillId)) return { outcome: 'duplicate' };
      throw error;
    }
    const entries = await currentLedgerEntries(journal, fill.at);
    const ledger: VersionedWrite<RiskLedgerEntry>[] = LOSS_PERIODS.map((period) => {
      const { entry } = ledgerEntryAt(entries[period], period, fill.at, equity);
      return {
        item: recordFillInLedger(entry, effect.realizedPnl, effect.fee, fill.at),
        expectedVersion: entry.version,
      };
    });
    try {
      // The fill is stored with its realised PnL so reports can score closed trades from fills alone.
      const outcome = await journal.applyFill(
        { ...fill, realizedPnl: effect.realizedPnl },
        { item: effect.position, expectedVersion: stored?.version ?? 0 },
        ledger,
      );
      return outcome === 'duplicate' ? { outcome } : { outcome, effect };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
