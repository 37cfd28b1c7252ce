import { z } from 'zod';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import {
  CONTROL_GROUP_ID,
  type ControlCommand,
  type ControlCommandInput,
  controlCommandSchema,
} from './control-command';
import { decisionToWire, decisionWireSchema } from './decision-wire';
import { epochField } from './wire-fields';

/** Envelope format this build writes and reads. Bump it (and keep reading the old one) on a breaking change. */
export const ENVELOPE_VERSION = 1;

const header = {
  v: z.literal(ENVELOPE_VERSION),
  sentAt: epochField,
  /** Which component sent it (`analysis-function`, `cli`, …), for tracing a bad message to its source. */
  producer: z.string().min(1).max(100),
};

/** Decision queue message: one decision, decimals as strings. */
export const decisionEnvelopeSchema = z.strictObject({
  ...header,
  type: z.literal('decision'),
  decision: decisionWireSchema,
});

/** Control queue message: one operator or risk command. */
export const controlEnvelopeSchema = z.strictObject({
  ...header,
  type: z.literal('control'),
  command: controlCommandSchema,
});

/** A decoded decision message. */
export interface DecisionMessage {
  readonly type: 'decision';
  readonly sentAt: EpochMs;
  readonly producer: string;
  readonly decision: Decision;
}

/** A decoded control message. */
export interface ControlMessage {
  readonly type: 'control';
  readonly sentAt: EpochMs;
  readonly producer: string;
  readonly command: ControlCommand;
}

/** What a decoder returns: the message, or why the body can never be processed (the dead-letter reason). */
export type DecodeResult<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly reason: string };

/** A message ready for `FifoQueue.send`: body plus the FIFO group and deduplication id. */
export interface OutgoingMessage {
  readonly body: string;
  readonly groupId: string;
  readonly dedupId: string;
}

/**
 * Decision → queue message. The group is the market (markets never wait for each other) and the
 * deduplication id is the decision id, so a retried analysis run cannot enqueue it twice.
 */
export function encodeDecisionMessage(
  decision: Decision,
  sentAt: EpochMs,
  producer: string,
): OutgoingMessage {
  const envelope: z.input<typeof decisionEnvelopeSchema> = {
    v: ENVELOPE_VERSION,
    type: 'decision',
    sentAt,
    producer,
    decision: decisionToWire(decision),
  };
  return { body: JSON.stringify(envelope), groupId: decision.market, dedupId: decision.id };
}

/** Control command → queue message, validated before it leaves (a producer bug fails at the producer). */
export function encodeControlMessage(
  command: ControlCommandInput,
  sentAt: EpochMs,
  producer: string,
): OutgoingMessage {
  const parsed = controlCommandSchema.parse(command);
  const envelope = { v: ENVELOPE_VERSION, type: 'control', sentAt, producer, command: parsed };
  return { body: JSON.stringify(envelope), groupId: CONTROL_GROUP_ID, dedupId: parsed.id };
}

function parseJson(body: string): DecodeResult<unknown> {
  try {
    return { ok: true, message: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
}

function versionProblem(raw: unknown, expectedType: string): string | undefined {
  if (raw === null || typeof raw !== 'object') return 'body is not a JSON object';
  const { v, type } = raw as { v?: unknown; type?: unknown };
  if (v !== ENVELOPE_VERSION)
    return `unsupported envelope version ${JSON.stringify(v)} (this build reads ${ENVELOPE_VERSION})`;
  if (type !== expectedType) return `expected a ${expectedType} message, got type ${JSON.stringify(type)}`;
  return undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Decision queue body → decision, or the reason it is poison. */
export function decodeDecisionMessage(body: string): DecodeResult<DecisionMessage> {
  const json = parseJson(body);
  if (!json.ok) return json;
  const problem = versionProblem(json.message, 'decision');
  if (problem !== undefined) return { ok: false, reason: problem };
  const parsed = decisionEnvelopeSchema.safeParse(json.message);
  if (!parsed.success)
    return { ok: false, reason: `invalid decision envelope: ${describeIssues(parsed.error)}` };
  const { sentAt, producer, decision } = parsed.data;
  // The schema's transforms already produced exact decimals and branded ids (as decisionFromWire does).
  return { ok: true, message: { type: 'decision', sentAt, producer, decision: decision as Decision } };
}

/** Control queue body → command, or the reason it is poison. */
export function decodeControlMessage(body: string): DecodeResult<ControlMessage> {
  const json = parseJson(body);
  if (!json.ok) return json;
  const problem = versionProblem(json.message, 'control');
  if (problem !== undefined) return { ok: false, reason: problem };
  const parsed = controlEnvelopeSchema.safeParse(json.message);
  if (!parsed.success)
    return { ok: false, reason: `invalid control envelope: ${describeIssues(parsed.error)}` };
  const { sentAt, producer, command } = parsed.data;
  return { ok: true, message: { type: 'control', sentAt, producer, command } };
}
