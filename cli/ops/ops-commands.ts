import { tokenAuthenticator } from '../../shared/src/application/emergency/operator-auth';
import {
  type OperatorCommandDeps,
  OperatorInputError,
  type ReleaseResult,
  requestEmergencyStop,
  requestRelease,
  type StopRequest,
  type StopResult,
} from '../../shared/src/application/operator/operator-commands';
import { tradingStateOf } from '../../shared/src/domain/risk/emergency-state';
import type { Secret } from '../../shared/src/domain/security/secret';
import type { TradingState } from '../../shared/src/domain/trading/emergency';
import type { AuditEntry } from '../../shared/src/ports/audit-log';
import type { Clock } from '../../shared/src/ports/clock';
import type { ControlState } from '../../shared/src/ports/control-store';
import type { FifoQueue } from '../../shared/src/ports/decision-queue';
import { UsageError } from '../lib/args';

export type { ReleaseResult, StopRequest, StopResult };

/** Channel and producer name on every envelope the CLI sends, so a bad command is traced back here. */
export const OPS_PRODUCER = 'cli' as const;

/**
 * What the ops commands need. Deliberately no trading venue: the executor alone holds the Upbit
 * keys, so the CLI latches in the state store and asks the executor (control queue) to act.
 */
export interface OpsDeps {
  readonly store: OperatorCommandDeps['store'];
  /** From the configuration: the emergency policy decides whether a stop also flattens. */
  readonly limits: OperatorCommandDeps['limits'];
  readonly rules: OperatorCommandDeps['rules'];
  readonly queue?: Pick<FifoQueue, 'send'>;
  readonly clock: Pick<Clock, 'now'>;
  /** The token the operator presented (from `QTS_API_TOKEN`); empty when none was. */
  readonly presentedToken: Secret;
  /**
   * The configured operator token, looked up only when a release needs it: the same secrets port
   * the stack checks it against (SSM in the cloud, the local stack's secrets file locally).
   */
  readonly expectedToken: () => Promise<Secret | undefined>;
}

/** `status`: the latch, the switches and the latest audit trail, as the executor will see them. */
export interface OpsStatus {
  readonly tradingState: TradingState;
  readonly control: ControlState;
  readonly audit: readonly AuditEntry[];
}

/** Reads everything `status` shows. */
export async function opsStatus(deps: OpsDeps, auditLimit: number): Promise<OpsStatus> {
  const control = await deps.store.getControl();
  const audit = await deps.store.listAudit({ limit: auditLimit });
  return { tradingState: tradingStateOf(control.latch), control, audit };
}

const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  reason: '--reason',
  actor: 'the actor',
  state: '--halt and --flatten',
};

function commandDeps(deps: OpsDeps): OperatorCommandDeps {
  if (deps.queue === undefined) throw new Error('no control queue configured');
  return {
    store: deps.store,
    queue: deps.queue,
    clock: deps.clock,
    channel: OPS_PRODUCER,
    limits: deps.limits,
    rules: deps.rules,
  };
}

/** Runs an operator command, turning its input errors into usage errors (exit code 2). */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof OperatorInputError)) throw error;
    const option = OPTION_OF_FIELD[error.field];
    throw new UsageError(option === undefined ? error.message : error.message.replace(error.field, option));
  }
}

/** `emergency-stop` / `close-all`: the shared operator stop (latch, then enqueue) under the CLI's name. */
export async function opsStop(deps: OpsDeps, request: StopRequest): Promise<StopResult> {
  return asUsage(() => requestEmergencyStop(commandDeps(deps), request));
}

/**
 * Clears the latch through the shared release command (which authenticates, audits refusals and
 * clears only the latch it read), then tells the executor. The configured token must exist: a
 * missing one is a configuration error, never "no token needed".
 */
export async function opsRelease(
  deps: OpsDeps,
  request: { readonly reason: string; readonly actor: string },
): Promise<ReleaseResult> {
  const actor = request.actor.trim();
  if (actor === '') throw new UsageError('the actor must not be empty');
  if (actor.length > 200) throw new UsageError('the actor is longer than 200 characters');
  const cmd = commandDeps(deps);
  if (request.reason.trim() === '') throw new UsageError('--reason must not be empty');
  const expected = await deps.expectedToken();
  if (expected === undefined || expected.reveal() === '')
    throw new UsageError(
      "no operator token is configured (QTS_API_TOKEN in SSM, or the local stack's secrets file): a release cannot be authenticated",
    );
  return asUsage(() =>
    requestRelease(
      { ...cmd, authenticate: tokenAuthenticator([{ actor, token: expected, channels: ['cli'] }]) },
      { credential: { channel: 'cli', token: deps.presentedToken }, reason: request.reason },
    ),
  );
}
