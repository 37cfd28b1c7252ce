import type { MarketRules } from '../../domain/market/market-rules';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { Secret } from '../../domain/security/secret';
import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import type { Clock } from '../../ports/clock';
import type { LatchOutcome } from '../../ports/control-store';
import type { FifoQueue } from '../../ports/decision-queue';
import type { Notifier } from '../../ports/notifier';
import type { StateStore } from '../../ports/state-store';
import { closeAllPositions, emergencyStop } from '../emergency/close-all-positions';
import type { OperatorAuthenticator, OperatorChannel, OperatorCredential } from '../emergency/operator-auth';
import { releaseEmergency } from '../emergency/release-emergency';
import type { EmergencyDeps } from '../emergency/trigger-emergency';
import type { ControlCommandInput } from '../messaging/control-command';
import { encodeControlMessage } from '../messaging/message-envelope';

/**
 * What every operator front end (the ops CLI, the HTTP API, the Telegram bot) needs to act. No
 * trading venue on purpose: the executor alone holds the Upbit keys, so a front end latches or flips
 * switches in the state store (audited there) and asks the executor, over the control queue, to act.
 * Front ends authenticate their operator before calling (API bearer token, Telegram chat allow-list,
 * CLI access to the state store; a release is authenticated again by its use case).
 */
export interface OperatorCommandDeps {
  /** The emergency use cases' store (the release use case's type asks for more than it uses) plus the switches. */
  readonly store: EmergencyDeps['store'] & Pick<StateStore, 'setTradingEnabled' | 'setStrategyEnabled'>;
  readonly queue: Pick<FifoQueue, 'send'>;
  readonly clock: Pick<Clock, 'now'>;
  /** Alerts for latches set or escalated here; omitted = nobody is told (the CLI: it has no chat). */
  readonly notifier?: Notifier;
  /** Where the command came from; also the producer name on every envelope, tracing it back here. */
  readonly channel: OperatorChannel;
  /** The configured limits: the emergency policy decides whether a manual stop also flattens. */
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
}

/** Where alerts go when a front end has no notifier (the CLI has no chat; the log has the audit). */
const SILENT: Notifier = { notify: async () => undefined };

/** A request a front end could not accept (empty reason, contradicting options): the caller's mistake. */
export class OperatorInputError extends Error {
  override readonly name = 'OperatorInputError';

  constructor(
    /** The input field at fault (`reason`, `actor`, `state`…), so an API can answer 400 naming it. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command put on the control queue. */
export interface SentCommand {
  readonly kind: ControlCommandInput['kind'];
  readonly id: string;
  readonly messageId: string;
}

/** Control command ids: what SQS FIFO accepts as a deduplication id, stricter. */
const COMMAND_ID = /^[A-Za-z0-9_:.-]{1,100}$/;

/** True for a string usable as a command id (and so as the FIFO deduplication id). */
export function isCommandId(text: string): boolean {
  return COMMAND_ID.test(text);
}

/** Trimmed text that must not be empty nor longer than `max` (an input error naming `field`). */
export function checkText(field: string, value: string, max: number): string {
  const text = value.trim();
  if (text === '') throw new OperatorInputError(field, `${field} must not be empty`);
  if (text.length > max) throw new OperatorInputError(field, `${field} is longer than ${max} characters`);
  return text;
}

/** A caller's command id, checked to be usable as the FIFO deduplication id. */
export function checkCommandId(id: string | undefined): string | undefined {
  if (id !== undefined && !isCommandId(id))
    throw new OperatorInputError('commandId', 'command id: 1–100 characters from A-Z a-z 0-9 _ : . -');
  return id;
}

/** Encodes (validating it) and enqueues a control command under the front end's channel. */
export async function sendCommand(
  deps: OperatorCommandDeps,
  command: ControlCommandInput,
  at: EpochMs,
): Promise<SentCommand> {
  const message = encodeControlMessage(command, at, deps.channel);
  const { messageId } = await deps.queue.send(message.body, {
    groupId: message.groupId,
    dedupId: message.dedupId,
  });
  return { kind: command.kind, id: command.id, messageId };
}

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An operator stop request (`emergency-stop`, `close-all`). */
export interface StopRequest {
  readonly reason: string;
  readonly actor: string;
  readonly state: 'reducing' | 'halted';
  /** Ask the executor to sell holdings too (`close-all`, `emergency-stop --flatten`). */
  readonly flatten: boolean;
  /** The caller's idempotency key; derived from the stored latch when absent. */
  readonly commandId?: string;
}

/** Outcome of a stop: what the store did with the latch and what the executor was asked to do. */
export interface StopResult {
  readonly outcome: LatchOutcome;
  readonly latch: EmergencyLatch;
  readonly command: SentCommand;
  /** Set when flattening was asked for but the latch is `halted` (halted trades nothing). */
  readonly warning?: string;
}

/**
 * The manual stop through the emergency use cases (`emergencyStop`, or `closeAllPositions` when
 * asked to flatten), without a venue since the front ends hold no exchange keys: they latch
 * (set-if-absent, escalation only), audit the trigger (the auto-release rule reads it back) and send
 * the standard emergency alert saying the executor was asked to cancel (and sell). A plain stop
 * flattens too when the policy says so (`emergency.flattenOnTrigger`). Then the matching command
 * always goes on the control queue: `close_all` when holdings are to be sold, else `emergency_stop`.
 * Without a caller's id the command id is derived from the stored latch, so a repeat inside the FIFO
 * deduplication window is dropped by SQS, and a repeat after a failed or lost send still reaches the
 * executor (which treats a repeated stop as "cancel what is still open").
 */
export async function requestEmergencyStop(
  deps: OperatorCommandDeps,
  request: StopRequest,
): Promise<StopResult> {
  const reason = checkText('reason', request.reason, 1_000);
  const actor = checkText('actor', request.actor, 200);
  const commandId = checkCommandId(request.commandId);
  if (request.flatten && request.state === 'halted')
    throw new OperatorInputError(
      'state',
      'halted and flatten contradict each other: a halted system sells nothing',
    );
  const at = deps.clock.now();
  const stop = request.flatten ? closeAllPositions : emergencyStop;
  const answer = await stop(
    {
      store: deps.store,
      clock: deps.clock,
      notifier: deps.notifier ?? SILENT,
      // The front end authenticated its operator already (see OperatorCommandDeps).
      authenticate: async () => actor,
    },
    {
      reason,
      state: request.state,
      limits: deps.limits,
      rules: deps.rules,
      credential: { channel: deps.channel, token: new Secret('authenticated-by-front-end') },
    },
  );
  if (!answer.ok) throw new Error(`the emergency stop was refused: ${answer.refusal}`);
  const { outcome, latch, flatten } = answer.result;
  const selling = !flatten.ran && flatten.why === 'delegated';
  const base = { actor, issuedAt: at, reason };
  const command: ControlCommandInput = selling
    ? { kind: 'close_all', id: commandId ?? `${deps.channel}-close_all-${latch.at}`, ...base }
    : {
        kind: 'emergency_stop',
        id: commandId ?? `${deps.channel}-emergency_stop-${latch.at}-${latch.state}`,
        ...base,
        state: latch.state,
      };
  let sent: SentCommand;
  try {
    sent = await sendCommand(deps, command, at);
  } catch (error) {
    throw new Error(
      `the latch is ${latch.state} (${outcome}) but the control command could not be enqueued: ${why(error)}; run the same command again`,
    );
  }
  return {
    outcome,
    latch,
    command: sent,
    ...(request.flatten && latch.state === 'halted'
      ? { warning: 'the latch is halted, so nothing is sold: release it and run close-all again to flatten' }
      : {}),
  };
}

/** A release request: the credential the operator presented and why it is safe to trade again. */
export interface ReleaseRequest {
  readonly credential: OperatorCredential;
  readonly reason: string;
  readonly commandId?: string;
}

/** Outcome of a release request. */
export type ReleaseResult =
  | {
      readonly ok: true;
      readonly released: EmergencyLatch;
      readonly release: LatchRelease;
      /** Absent when the control queue refused the nudge (see `warning`). */
      readonly command?: SentCommand;
      /** Set when the release stands but the executor learns of it only at its next state poll. */
      readonly warning?: string;
    }
  | { readonly ok: false; readonly refusal: string; readonly message: string };

/** Why a release was refused, in words an operator can act on. */
export const RELEASE_REFUSAL_TEXT: Readonly<Record<string, string>> = {
  unauthenticated: 'the operator token is missing or does not match the configured token',
  not_latched: 'there is no emergency latch to release',
  latch_changed:
    'the latch changed while releasing (a new trigger fired): look at the status and decide again',
  missing_actor: 'a release needs a named actor',
  missing_reason: 'a release needs a reason',
};

/**
 * Clears the latch through the release use case (which authenticates, audits refusals, alerts and
 * clears only the latch it read), then tells the executor.
 */
export async function requestRelease(
  deps: OperatorCommandDeps & { readonly authenticate: OperatorAuthenticator },
  request: ReleaseRequest,
): Promise<ReleaseResult> {
  const reason = checkText('reason', request.reason, 1_000);
  const commandId = checkCommandId(request.commandId);
  const result = await releaseEmergency(
    {
      store: deps.store,
      clock: deps.clock,
      notifier: deps.notifier ?? { notify: async () => undefined },
      authenticate: deps.authenticate,
    },
    { credential: request.credential, reason },
  );
  if (!result.ok)
    return {
      ok: false,
      refusal: result.refusal,
      message: RELEASE_REFUSAL_TEXT[result.refusal] ?? result.refusal,
    };
  const { released, release } = result;
  try {
    const command = await sendCommand(
      deps,
      {
        kind: 'release_emergency',
        id: commandId ?? `${deps.channel}-release-${released.at}-${release.at}`,
        actor: release.actor,
        issuedAt: release.at,
        reason,
      },
      release.at,
    );
    return { ok: true, released, release, command };
  } catch (error) {
    // The release took effect: answering it as a failure would invite a retry, and a retry that
    // runs again could clear a NEWER latch set meanwhile. So it succeeds, with the lost nudge said.
    return {
      ok: true,
      released,
      release,
      warning: `the latch IS released (audited), but the executor could not be told: ${why(error)}; it sees the release when it next reads the state store`,
    };
  }
}
