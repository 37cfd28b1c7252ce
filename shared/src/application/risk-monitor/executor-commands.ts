import type { EpochMs } from '../../domain/time/epoch';
import type { EmergencyLatch } from '../../domain/trading/emergency';
import type { FifoQueue } from '../../ports/decision-queue';
import type { ControlCommandInput } from '../messaging/control-command';
import { encodeControlMessage } from '../messaging/message-envelope';

/** Producer name on the risk function's control messages (traced back here from any DLQ). */
export const RISK_PRODUCER = 'risk-function';
/** Actor of the risk function's commands in the executor's audit log. */
export const RISK_ACTOR = 'system:risk-function';
/** The actor `checkLossLimits` latches as: the latches this monitor must tell the executor about. */
export const LOSS_CHECK_ACTOR = 'system:loss-check';

const MAX_REASON = 1_000;

/** Identifies one latch in one state: the executor must hear about each once. */
export function latchKey(latch: EmergencyLatch): string {
  return `${latch.at}-${latch.state}`;
}

/**
 * The command that makes the executor act on a latch the cloud set: `close_all` when the policy
 * flattens and the latch still allows sells (`reducing`), otherwise `emergency_stop` in the latch's
 * state. The id derives from the latch, so every retry of the same latch is one command.
 */
export function latchCommand(latch: EmergencyLatch, flatten: boolean, at: EpochMs): ControlCommandInput {
  const reason = latch.reason.slice(0, MAX_REASON);
  if (flatten && latch.state === 'reducing')
    return {
      kind: 'close_all',
      id: `risk-close_all-${latchKey(latch)}`,
      actor: RISK_ACTOR,
      issuedAt: at,
      reason,
    };
  return {
    kind: 'emergency_stop',
    id: `risk-emergency_stop-${latchKey(latch)}`,
    actor: RISK_ACTOR,
    issuedAt: at,
    reason,
    state: latch.state,
  };
}

/** The command that tells the executor a latch was released by the roll-over rule. */
export function releaseCommand(released: EmergencyLatch, reason: string, at: EpochMs): ControlCommandInput {
  return {
    kind: 'release_emergency',
    id: `risk-release-${latchKey(released)}`,
    actor: RISK_ACTOR,
    issuedAt: at,
    reason: reason.slice(0, MAX_REASON) || 'period roll-over',
  };
}

/** A command put on the control queue. */
export interface SentCommand {
  readonly kind: ControlCommandInput['kind'];
  readonly id: string;
}

/** Encodes (validating it) and enqueues a control command. */
export async function sendControlCommand(
  queue: Pick<FifoQueue, 'send'>,
  command: ControlCommandInput,
  at: EpochMs,
): Promise<SentCommand> {
  const message = encodeControlMessage(command, at, RISK_PRODUCER);
  await queue.send(message.body, { groupId: message.groupId, dedupId: message.dedupId });
  return { kind: command.kind, id: command.id };
}
