import type { ReconcileReport } from '../reconcile/reconciler';
import type { Components } from './components';
import { describeError, pause, runEvery } from './periodic';

/** Retry pause of an incomplete reconciliation at start (a market without a book yet, a network error). */
const RECONCILE_RETRY_MS = 5_000;

/** What reconciling before and while trading uses of the executor. */
export type ReconcileGateDeps = Pick<Components, 'clock' | 'logger' | 'config' | 'gate' | 'reconciler'>;

/** The lifecycle's phase as health reports it (`refused` while the account is unexplained). */
export interface PhaseCell {
  get(): string;
  set(phase: string): void;
}

/**
 * Reconciles until the account is complete and explained (nautilus-style: no trading before the
 * executor agrees with the exchange). An unexplained account sets the phase `refused` and waits a
 * full reconcile interval before asking again; an incomplete one (a market without a book, a network
 * error) retries after a short pause. A dry run gives up after three attempts. Throws when stopped
 * first, or when a dry run never got a report.
 */
export async function reconcileAtStart(
  c: ReconcileGateDeps,
  dryRun: boolean,
  signal: AbortSignal,
  phase: PhaseCell,
): Promise<ReconcileReport> {
  let report: ReconcileReport | undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new Error('stopped before reconciliation succeeded');
    try {
      report = await c.reconciler.reconcile();
    } catch (error) {
      c.logger.warn('reconciliation failed', { attempt, error: describeError(error) });
      report = undefined;
    }
    if (report?.complete === true && report.explained) break;
    if (dryRun && attempt >= 3) break;
    if (report !== undefined && !report.explained) {
      phase.set('refused');
      c.logger.error(
        'the account is in a state this executor cannot explain: not trading until it is resolved',
        {
          discrepancies: report.discrepancies.filter((x) => !x.explained).map((x) => x.detail),
        },
      );
      await pause(c.clock, c.config.executor.reconcileIntervalSeconds * 1000, signal);
    } else await pause(c.clock, RECONCILE_RETRY_MS, signal);
  }
  if (report === undefined) throw new Error('reconciliation never completed');
  return report;
}

/**
 * Reconciles every `reconcileIntervalSeconds` while trading: in live mode an unexplained account
 * closes the gate (phase `refused`) until a later run explains it again. Resolves when `signal` aborts.
 */
export function keepReconciling(c: ReconcileGateDeps, signal: AbortSignal, phase: PhaseCell): Promise<void> {
  return runEvery(
    'reconciliation',
    c.config.executor.reconcileIntervalSeconds * 1000,
    async () => {
      const r = await c.reconciler.reconcile();
      if (!r.explained && c.config.mode === 'live') {
        c.gate.setReconciled(false);
        phase.set('refused');
      } else if (r.complete && r.explained && phase.get() === 'refused') {
        c.gate.setReconciled(true);
        phase.set('running');
      }
    },
    { clock: c.clock, logger: c.logger, signal },
  );
}
