import type { EpochMs } from '../domain/time/epoch';
import type { RateGroup } from './rate-limiter';

/** Decoded query parameters in the order received (arrays repeat their key, e.g. `uuids[]`). */
export class QueryParams {
  constructor(readonly pairs: readonly (readonly [string, string])[]) {}

  /** First value of a key. */
  get(key: string): string | undefined {
    return this.pairs.find(([k]) => k === key)?.[1];
  }

  /** Every value of an array key, accepting `key[]` and plain `key`. */
  all(key: string): string[] {
    return this.pairs.filter(([k]) => k === `${key}[]` || k === key).map(([, v]) => v);
  }

  /** True when the key (or its array form) is present. */
  has(key: string): boolean {
    return this.pairs.some(([k]) => k === key || k === `${key}[]`);
  }
}

/** What a route handler sees. */
export interface RouteContext {
  readonly query: QueryParams;
  /** Parsed JSON body of a POST (object), else undefined. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** Regex capture groups of the path. */
  readonly pathParams: readonly string[];
  /** Sim time of the request. */
  readonly now: EpochMs;
}

/** What a route handler returns. `hold` = accept the work but never answer (fault injection). */
export interface RouteReply {
  readonly status: number;
  readonly body: unknown;
}

/** One REST route. Quotation routes answer errors with integer names; Exchange routes need a JWT. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: RegExp;
  readonly group: RateGroup;
  readonly kind: 'quotation' | 'exchange';
  /** POST /orders and cancel_and_new: subject to the "timeout after accept" fault. */
  readonly placesOrder?: boolean;
  handle(ctx: RouteContext): RouteReply;
}

/** Quotation error body: integer `name` = HTTP status (PROTOCOL.md §4). */
export function quotationError(status: number, message: string): RouteReply {
  return { status, body: { error: { name: status, message } } };
}

/** Exchange error body: string `name`. */
export function exchangeErrorReply(status: number, name: string, message: string): RouteReply {
  return { status, body: { error: { name, message } } };
}

/** Standard Quotation messages. */
export const QUOTATION_MESSAGES = {
  missing: 'Missing request parameter error. Check the required parameters!',
  type: 'Type mismatch error. Check the parameters type!',
  invalid: 'Invalid parameter. Check the given value!',
  notFound: 'Code not found',
} as const;
