import type { DecisionMessage } from '../../../shared/src/application/messaging/message-envelope';
import type { HandlerContext } from '../../../shared/src/application/messaging/queue-consumer';
import { TradingError } from '../../../shared/src/domain/errors/trading-error';
import type { Market } from '../../../shared/src/domain/market/market-id';
import type { Clock } from '../../../shared/src/ports/clock';
import type { DecisionLog } from '../../../shared/src/ports/decision-log';
import type { Logger } from '../../../shared/src/ports/logger';
import type { ExecutorMetrics } from '../health/metrics';
import { type Failpoints, NO_FAILPOINTS } from '../runtime/failpoints';
import type { TradingGate } from '../runtime/trading-gate';
import type { ExecutionEngine } from './execution-engine';

/**
 * How far ahead of this executor's clock a decision's `createdAt` may be: one bar (clock skew between
 * the analysis and this VM, both on NTP, is far smaller). An honest decision is stamped with a bar
 * that has closed; one stamped more than a bar ahead is refused as malformed.
 */
export const MAX_FUTURE_SKEW_MS = 60_000;

/** Ports and settings of {@link DecisionHandler}. */
export interface DecisionHandlerDeps {
  readonly engine: Pick<ExecutionEngine, 'accept'>;
  readonly decisions: Pick<DecisionLog, 'recordDecision'>;
  readonly gate: TradingGate;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ExecutorMetrics;
  readonly markets: readonly Market[];
  /** executor.decisionTtlSeconds in ms. */
  readonly ttlMs: number;
  readonly failpoints?: Failpoints;
  /** Time of the last decision received (heartbeat detail). */
  readonly onReceived?: (at: number) => void;
}

/**
 * The decision queue's handler. A decision for a market this executor does not trade is poison
 * (dead-lettered with the reason). One older than `decisionTtlSeconds` or past its own `expiresAt`
 * is dropped with a log line: after a backlog the market has moved and a stale decision must not
 * trade. Anything else is recorded in the decision log (so a restart can resume its plan) and handed
 * to the execution engine, which resolves once the first orders are durable; only then does the
 * consumer delete the message. A redelivered decision resumes from its stored orders: it executes
 * once. The risk engine re-checks every order right before it is sent.
 */
export class DecisionHandler {
  readonly #d: DecisionHandlerDeps;
  readonly #fp: Failpoints;

  constructor(deps: DecisionHandlerDeps) {
    this.#d = deps;
    this.#fp = deps.failpoints ?? NO_FAILPOINTS;
  }

  handle = async (message: DecisionMessage, context: HandlerContext): Promise<void> => {
    const d = this.#d;
    const decision = message.decision;
    const now = d.clock.now();
    d.onReceived?.(now);
    d.metrics.queueLagSeconds.set(Math.max(0, now - message.sentAt) / 1000);
    const log = d.logger.child({
      decisionId: decision.id,
      market: decision.market,
      messageId: context.messageId,
    });
    if (!d.markets.includes(decision.market)) {
      d.metrics.decisions.inc({ outcome: 'poison' });
      throw new TradingError(
        'rejected',
        `decision ${decision.id} is for ${decision.market}, which this executor does not trade (markets: ${d.markets.join(',')})`,
        { code: 'unknown_market' },
      );
    }
    const age = now - decision.createdAt;
    if (-age > MAX_FUTURE_SKEW_MS) {
      // A decision "from the future" would also count as the newest of its strategy and market and
      // drop every honest one made before its time as superseded: refused, never executed.
      d.metrics.decisions.inc({ outcome: 'poison' });
      throw new TradingError(
        'rejected',
        `decision ${decision.id} is stamped ${-age} ms ahead of this executor's clock ` +
          `(more than ${MAX_FUTURE_SKEW_MS} ms): check the clocks (NTP) of the analysis and this VM`,
        { code: 'decision_from_future' },
      );
    }
    if (age > d.ttlMs || now >= decision.expiresAt) {
      d.metrics.decisions.inc({ outcome: 'expired' });
      log.warn('decision dropped: older than its TTL', {
        ageMs: age,
        ttlMs: d.ttlMs,
        expiresAt: decision.expiresAt,
        intent: decision.intent.kind,
      });
      return;
    }
    if (d.gate.draining)
      throw new TradingError('retryable', 'draining: the decision goes back to the queue', {
        code: 'draining',
      });
    await d.decisions.recordDecision(decision);
    const outcome = await d.engine.accept(decision, now);
    d.metrics.decisions.inc({ outcome });
    log.info('decision accepted', {
      outcome,
      intent: decision.intent.kind,
      attempt: context.attempt,
      ageMs: age,
    });
    this.#fp.hit('decision.before-ack');
  };
}
