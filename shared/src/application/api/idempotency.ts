import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { HttpRequest } from './http-types';
import { ApiError } from './route-types';

/** What a client may send as `Idempotency-Key` (or `commandId`): safe inside a FIFO deduplication id. */
const KEY = /^[A-Za-z0-9_:.-]{1,64}$/;

/** Audit action of every mutating API call. */
export const API_AUDIT_ACTION = 'api_request';

/** Audit entries searched for an earlier call with the same key (mutations are operator-paced). */
const REPLAY_WINDOW = 200;

/** Longest response kept in the audit entry for replays. */
const MAX_KEPT_RESULT = 2_000;

/**
 * The caller's idempotency key: the `Idempotency-Key` header, else the body's `commandId`.
 * Undefined when neither was given (the command id is then derived from the state it acts on).
 */
export function idempotencyKey(req: HttpRequest, bodyCommandId: unknown): string | undefined {
  const header = req.headers['idempotency-key'];
  if (header !== undefined) {
    if (!KEY.test(header))
      throw new ApiError(
        400,
        'invalid_request',
        'Idempotency-Key: 1–64 characters from A-Z a-z 0-9 _ : . -',
        [{ field: 'header.idempotency-key', message: '1–64 characters from A-Z a-z 0-9 _ : . -' }],
      );
    return header;
  }
  if (bodyCommandId === undefined) return undefined;
  if (typeof bodyCommandId !== 'string' || !KEY.test(bodyCommandId))
    throw new ApiError(400, 'invalid_request', 'body.commandId: 1–64 characters from A-Z a-z 0-9 _ : . -', [
      { field: 'body.commandId', message: '1–64 characters from A-Z a-z 0-9 _ : . -' },
    ]);
  return bodyCommandId;
}

/**
 * A JSON value as text with every object's keys sorted, so that two serialisations of one request
 * body (a client that orders keys differently on a retry) give one idempotency fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The control command id for a key: route and key together, so one key reused on two different
 * routes can never make SQS drop the second command as a duplicate of the first.
 */
export function commandIdFor(routeId: string, key: string): string {
  return `api-${routeId}-${key}`;
}

/** An earlier call with this command id, found in the audit trail. */
export interface EarlierCall {
  readonly status: number;
  readonly fingerprint: string;
  /** The answer given then, when it was small enough to keep. */
  readonly result: unknown;
}

/** Looks for an earlier audited call with this command id. */
export async function findEarlierCall(
  audit: Pick<AuditLog, 'listAudit'>,
  commandId: string,
): Promise<EarlierCall | undefined> {
  const entries = await audit.listAudit({ limit: REPLAY_WINDOW });
  const found = entries.find((e) => e.action === API_AUDIT_ACTION && e.details.commandId === commandId);
  if (found === undefined) return undefined;
  const text = found.details.result;
  let result: unknown = { note: 'the original response was too large to keep; the command was applied once' };
  if (typeof text === 'string')
    try {
      result = JSON.parse(text) as unknown;
    } catch {
      // kept as the note above
    }
  return {
    status: typeof found.details.status === 'number' ? found.details.status : 200,
    fingerprint: String(found.details.fingerprint ?? ''),
    result,
  };
}

/** The audit entry of one mutating call: who, when, what, from where, and what came of it. */
export function apiAuditEntry(input: {
  readonly at: number;
  readonly actor: string;
  readonly routeId: string;
  readonly req: HttpRequest;
  readonly status: number;
  readonly commandId: string | undefined;
  readonly fingerprint: string;
  readonly result: unknown;
}): AuditEntry {
  const text = JSON.stringify(input.result);
  return {
    at: input.at as AuditEntry['at'],
    actor: input.actor,
    action: API_AUDIT_ACTION,
    details: {
      route: input.routeId,
      method: input.req.method,
      path: input.req.path,
      status: input.status,
      commandId: input.commandId ?? null,
      fingerprint: input.fingerprint,
      sourceIp: input.req.sourceIp ?? null,
      userAgent: (input.req.headers['user-agent'] ?? '').slice(0, 200) || null,
      result: text.length <= MAX_KEPT_RESULT ? text : null,
    },
  };
}
