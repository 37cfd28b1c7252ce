import { checkLossLimits, type LossCheckDeps } from '../../../shared/src/application/risk/check-loss-limits';
import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import type { Krw } from '../../../shared/src/domain/money/quantities';
import { type AccountEquity, accountEquity } from '../../../shared/src/domain/risk/account-equity';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import { MS } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { EquityHistoryStore } from '../../../shared/src/ports/equity-history-store';
import type { Logger } from '../../../shared/src/ports/logger';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';
import type { MarketState } from '../feed/market-state';
import { describeError, pause } from '../runtime/periodic';

/** Ports of {@link EquityRecorder}. */
export interface EquityRecorderDeps {
  readonly venue: Pick<TradingVenue, 'getBalances'>;
  readonly market: MarketState;
  readonly history: EquityHistoryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: MarketRules;
  readonly limits: RiskLimits;
  /** The loss check's ports, when the executor evaluates the loss limits (executor.lossCheck). */
  readonly lossCheck?: LossCheckDeps;
}

/** An equity reading this recent is reused instead of asking the venue again. */
const FRESH_MS = 30_000;
/** An older reading still sizes orders (while a fresh one is fetched); beyond it, orders wait for one. */
const USABLE_MS = 5 * 60_000;
/** Fills within this window produce one equity point, not one each. */
const AFTER_FILL_DEBOUNCE_MS = 1_000;

/**
 * The account marked to market (domain `accountEquity`: cash + coins at the best bid after the sell
 * fee, unpriced coins left out and named), written to the equity history every minute and shortly
 * after fills. Each point also runs the loss-limit check, so the instant −3 % rule reacts within a
 * minute of the move, or within a second of the fill that caused it. The latest reading sizes loss
 * periods and the pre-trade loss check.
 */
export class EquityRecorder {
  #latest: { at: number; value: AccountEquity } | undefined;
  #fillTimer: Promise<void> | undefined;
  #refreshing: Promise<unknown> | undefined;

  constructor(private readonly d: EquityRecorderDeps) {}

  /** The latest equity point written (undefined before the first). */
  get latest(): AccountEquity | undefined {
    return this.#latest?.value;
  }

  /**
   * Equity now: the last reading when fresh; a reading up to {@link USABLE_MS} old is returned at
   * once while a new one is taken in the background (the order path never waits for GET /accounts);
   * with nothing usable, measured now.
   */
  async current(): Promise<Krw> {
    const l = this.#latest;
    const age = l === undefined ? Number.POSITIVE_INFINITY : this.d.clock.now() - l.at;
    if (l !== undefined && age < FRESH_MS) return l.value.equity;
    if (l !== undefined && age < USABLE_MS) {
      this.#refreshing ??= this.#measure()
        .catch((error: unknown) =>
          this.d.logger.warn('equity refresh failed', { error: describeError(error) }),
        )
        .finally(() => {
          this.#refreshing = undefined;
        });
      return l.value.equity;
    }
    return (await this.#measure()).equity;
  }

  /** Writes one equity point and runs the loss check on it. */
  async record(): Promise<AccountEquity> {
    const value = await this.#measure();
    const at = this.d.clock.now();
    await this.d.history.putPoint({ at, ...value });
    if (value.unpriced.length > 0)
      this.d.logger.warn('equity leaves out coins without a price', { unpriced: value.unpriced });
    if (this.d.lossCheck !== undefined) {
      const result = await checkLossLimits(this.d.lossCheck, {
        equity: value.equity,
        limits: this.d.limits,
        rules: this.d.rules,
        books: this.d.market.books(),
      });
      if (result.trigger !== undefined)
        this.d.logger.error('loss limit breached: emergency stop triggered', {
          state: result.trigger.latch.state,
          reason: result.trigger.latch.reason,
        });
    }
    return value;
  }

  /** A fill happened: one point a second later (several fills, one point). */
  afterFill(): void {
    if (this.#fillTimer !== undefined) return;
    this.#fillTimer = pause(this.d.clock, AFTER_FILL_DEBOUNCE_MS)
      .then(() => this.record())
      .then(
        () => undefined,
        (error: unknown) =>
          this.d.logger.warn('equity point after a fill failed', { error: describeError(error) }),
      )
      .finally(() => {
        this.#fillTimer = undefined;
      });
  }

  /** Writes a point at every minute boundary until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const now = this.d.clock.now();
      await pause(this.d.clock, MS.minute - (now % MS.minute), signal);
      if (signal.aborted) return;
      await this.record().catch((error: unknown) =>
        this.d.logger.warn('equity point failed', { error: describeError(error) }),
      );
    }
  }

  async #measure(): Promise<AccountEquity> {
    const balances = await this.d.venue.getBalances();
    const value = accountEquity(balances, this.d.market.marks(), this.d.rules.takerFee);
    this.#latest = { at: this.d.clock.now(), value };
    return value;
  }
}
