import { tokenAuthenticator } from '../../shared/src/application/emergency/operator-auth';
import { releaseEmergency } from '../../shared/src/application/emergency/release-emergency';
import type { EmergencyDeps } from '../../shared/src/application/emergency/trigger-emergency';
import type { ControlCommandInput } from '../../shared/src/application/messaging/control-command';
import { encodeControlMessage } from '../../shared/src/application/messaging/message-envelope';
import { tradingStateOf } from '../../shared/src/domain/risk/emergency-state';
import type { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { EmergencyLatch, LatchRelease, TradingState } from '../../shared/src/domain/trading/emergency';
import type { AuditEntry } from '../../shared/src/ports/audit-log';
import type { Clock } from '../../shared/src/ports/clock';
import type { ControlState, LatchOutcome } from '../../shared/src/ports/control-store';
import type { FifoQueue } from '../../shared/src/ports/decision-queue';
import { UsageError } from '../lib/args';

/** Producer name on every envelope the CLI sends, so a bad command is traced back here. */
export const OPS_PRODUCER = 'cli';

/**
 * What the ops commands need. Deliberately no trading venue: the executor alone holds the Upbit
 * keys, so the CLI latches in the state store and asks the executor (control queue) to act.
 */
export interface OpsDeps {
  /** The emergency use cases' store (the release use case's type asks for more than it uses). */
  readonly store: EmergencyDeps['store'];
  readonly queue?: Pick<FifoQueue, 'send'>;
  readonly clock: Pick<Clock, 'now'>;
  /** The token the operator presented (from `QTS_API_TOKEN`); empty when none was. */
  readonly presentedToken: Secret;
  /** The configured operator token, looked up only when a release needs it. */
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

/** An operator stop request (`emergency-stop`, `close-all`). */
export interface StopRequest {
  readonly reason: string;
  readonly actor: string;
  readonly state: 'reducing' | 'halted';
  /** Ask the executor to sell holdings too (`close-all`, `emergency-stop --flatten`). */
  readonly flatten: boolean;
}

/** The command put on the control queue. */
export interface SentCommand {
  readonly kind: ControlCommandInput['kind'];
  readonly id: string;
  readonly messageId: string;
}

/** Outcome of a stop: what the store did with the latch and what the executor was asked to do. */
export interface StopResult {
  readonly outcome: LatchOutcome;
  readonly latch: EmergencyLatch;
  readonly command: SentCommand;
  /** Set when flattening was asked for but the latch is `halted` (halted trades nothing). */
  readonly warning?: string;
}

function checkText(what: string, value: string, max: number): string {
  const text = value.trim();
  if (text === '') throw new UsageError(`${what} must not be empty`);
  if (text.length > max) throw new UsageError(`${what} is longer than ${max} characters`);
  return text;
}

function requireQueue(deps: OpsDeps): Pick<FifoQueue, 'send'> {
  if (deps.queue === undefined) throw new Error('no control queue configured');
  return deps.queue;
}

async function send(deps: OpsDeps, command: ControlCommandInput, at: EpochMs): Promise<SentCommand> {
  const message = encodeControlMessage(command, at, OPS_PRODUCER);
  const { messageId } = await requireQueue(deps).send(message.body, {
    groupId: message.groupId,
    dedupId: message.dedupId,
  });
  return { kind: command.kind, id: command.id, messageId };
}

/**
 * Latches first (the store audits a set or an escalation; an unchanged latch is not a change), then
 * always enqueues the command. Its id is derived from the stored latch, so a repeat inside the FIFO
 * deduplication window is dropped by SQS, and a repeat after a failed or lost send still reaches the
 * executor (which treats a repeated stop as "cancel what is still open").
 */
export async function opsStop(deps: OpsDeps, request: StopRequest): Promise<StopResult> {
  const reason = checkText('--reason', request.reason, 1_000);
  const actor = checkText('the actor', request.actor, 200);
  if (request.flatten && request.state === 'halted')
    throw new UsageError('--halt and --flatten contradict each other: a halted system sells nothing');
  requireQueue(deps);
  const at = deps.clock.now();
  const requested: EmergencyLatch = { state: request.state, trigger: 'manual', reason, actor, at };
  const { outcome, latch } = await deps.store.latchEmergency(requested);
  const base = { actor, issuedAt: at, reason };
  const flattenBlocked = request.flatten && latch.state === 'halted';
  const command: ControlCommandInput =
    request.flatten && !flattenBlocked
      ? { kind: 'close_all', id: `ops-close_all-${latch.at}`, ...base }
      : {
          kind: 'emergency_stop',
          id: `ops-emergency_stop-${latch.at}-${latch.state}`,
          ...base,
          state: latch.state,
        };
  let sent: SentCommand;
  try {
    sent = await send(deps, command, at);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the latch is ${latch.state} (${outcome}) but the control command could not be enqueued: ${why}; run the same command again`,
    );
  }
  return {
    outcome,
    latch,
    command: sent,
    ...(flattenBlocked
      ? { warning: 'the latch is halted, so nothing is sold: release it and run close-all again to flatten' }
      : {}),
  };
}

/** Outcome of a release request. */
export type ReleaseResult =
  | {
      readonly ok: true;
      readonly released: EmergencyLatch;
      readonly release: LatchRelease;
      readonly command: SentCommand;
    }
  | { readonly ok: false; readonly refusal: string; readonly message: string };

const REFUSAL_TEXT: Readonly<Record<string, string>> = {
  unauthenticated: 'the operator token in QTS_API_TOKEN is missing or does not match the configured token',
  not_latched: 'there is no emergency latch to release',
  latch_changed: 'the latch changed while releasing (a new trigger fired): run `status` and decide again',
  missing_actor: 'a release needs a named actor',
  missing_reason: 'a release needs a reason',
};

/**
 * Clears the latch through the release use case (which authenticates, audits refusals and clears
 * only the latch it read), then tells the executor. The configured token must exist: a missing one
 * is a configuration error, never "no token needed".
 */
export async function opsRelease(
  deps: OpsDeps,
  request: { readonly reason: string; readonly actor: string },
): Promise<ReleaseResult> {
  const reason = checkText('--reason', request.reason, 1_000);
  const actor = checkText('the actor', request.actor, 200);
  requireQueue(deps);
  const expected = await deps.expectedToken();
  if (expected === undefined || expected.reveal() === '')
    throw new UsageError(
      'no operator token is configured (QTS_API_TOKEN in SSM): a release cannot be authenticated',
    );
  const result = await releaseEmergency(
    {
      store: deps.store,
      clock: deps.clock,
      notifier: { notify: async () => undefined },
      authenticate: tokenAuthenticator([{ actor, token: expected, channels: ['cli'] }]),
    },
    { credential: { channel: 'cli', token: deps.presentedToken }, reason },
  );
  if (!result.ok)
    return { ok: false, refusal: result.refusal, message: REFUSAL_TEXT[result.refusal] ?? result.refusal };
  let command: SentCommand;
  try {
    command = await send(
      deps,
      {
        kind: 'release_emergency',
        id: `ops-release-${result.released.at}-${result.release.at}`,
        actor,
        issuedAt: result.release.at,
        reason,
      },
      result.release.at,
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the latch IS released (audited), but the executor could not be told: ${why}; it sees the release when it next reads the state store`,
    );
  }
  return { ok: true, released: result.released, release: result.release, command };
}
