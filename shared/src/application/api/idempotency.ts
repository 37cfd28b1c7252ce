import type { AuditEntry } from '../../ports/audit-log';
import type { HttpRequest } from './http-types';
import { ApiError } from './route-types';

/** What a client may send as `Idempotency-Key` (or `commandId`): safe inside a FIFO deduplication id. */
const KEY = /^[A-Za-z0-9_:.-]{1,64}$/;

/** Audit action of every mutating API call. */
export const API_AUDIT_ACTION = 'api_request';

/** Longest response kept in the audit entry (the replayed answer lives in the idempotency claim). */
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
