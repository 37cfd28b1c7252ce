import { z } from 'zod';
import { epochField, strategyField } from './wire-fields';

/** Every control command kind the executor obeys, as sent on the control queue. */
export const ControlCommandKind = {
  emergencyStop: 'emergency_stop',
  releaseEmergency: 'release_emergency',
  closeAll: 'close_all',
  startTrading: 'start_trading',
  stopTrading: 'stop_trading',
  toggleStrategy: 'toggle_strategy',
} as const;
/** One of {@link ControlCommandKind}. */
export type ControlCommandKind = (typeof ControlCommandKind)[keyof typeof ControlCommandKind];

/** SQS allows 128 characters of letters, digits and punctuation in a deduplication id; this is stricter. */
const commandIdField = z
  .string()
  .regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'command id: 1–100 characters from A-Z a-z 0-9 _ : . -');

const base = {
  /** Unique per command: the FIFO deduplication id, so a double-clicked button acts once. */
  id: commandIdField,
  /** Who asked (operator name, `telegram:<chat>`, `risk-function`): written to the audit log. */
  actor: z.string().min(1).max(200),
  issuedAt: epochField,
};
const reason = z.string().min(1).max(1_000);

/**
 * Operator and risk-function commands for the executor, validated at the boundary. Safety commands
 * (emergency stop, close all) carry a mandatory reason because they end up in the audit log and
 * the incident report.
 */
export const controlCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal(ControlCommandKind.emergencyStop),
    ...base,
    reason,
    /** `reducing` still allows risk-reducing orders; `halted` allows none. */
    state: z.enum(['reducing', 'halted']).default('halted'),
  }),
  z.strictObject({ kind: z.literal(ControlCommandKind.releaseEmergency), ...base, reason }),
  z.strictObject({ kind: z.literal(ControlCommandKind.closeAll), ...base, reason }),
  z.strictObject({ kind: z.literal(ControlCommandKind.startTrading), ...base }),
  z.strictObject({ kind: z.literal(ControlCommandKind.stopTrading), ...base }),
  z.strictObject({
    kind: z.literal(ControlCommandKind.toggleStrategy),
    ...base,
    strategy: strategyField,
    enabled: z.boolean(),
  }),
]);

/** A validated control command. */
export type ControlCommand = z.output<typeof controlCommandSchema>;
/** A control command as written by a producer (before defaults). */
export type ControlCommandInput = z.input<typeof controlCommandSchema>;

/** The single message group of the control queue: commands apply strictly in the order sent. */
export const CONTROL_GROUP_ID = 'control';
