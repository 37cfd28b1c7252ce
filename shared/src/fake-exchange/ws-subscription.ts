import { echo } from '../domain/exchange/order-intake';

/** Output formats of the WebSocket API (PROTOCOL.md §7.2). */
export type WsFormat = 'DEFAULT' | 'SIMPLE' | 'JSON_LIST' | 'SIMPLE_LIST';

/** One data type of a request: its codes (with orderbook depth) and snapshot/realtime flags. */
export interface WsSubscription {
  readonly type: string;
  /** code → orderbook depth (30 for other types). Empty for myAsset; empty myOrder = all markets. */
  readonly codes: ReadonlyMap<string, number>;
  readonly onlySnapshot: boolean;
  readonly onlyRealtime: boolean;
}

/** A parsed request: the subscriptions that replace the connection's previous ones, and the format. */
export interface WsRequest {
  readonly subscriptions: readonly WsSubscription[];
  readonly format: WsFormat;
}

/** A request error: Upbit sends it and closes the socket with 1000. */
export interface WsError {
  readonly name: string;
  readonly message: string;
}

const QUOTATION_TYPES = new Set(['ticker', 'trade', 'orderbook']);
const CANDLE_TYPES = new Set(
  ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '240m'].map((u) => `candle.${u}`),
);
const PRIVATE_TYPES = new Set(['myOrder', 'myAsset']);
const FORMATS = new Set(['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST']);
const DEPTHS = new Set([1, 5, 15, 30]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flag(o: Record<string, unknown>, snake: string, camel: string): boolean {
  return o[snake] === true || o[camel] === true;
}

/** Codes accepted per data type of one request (Upbit lists under 900 markets in all). */
export const MAX_CODES_PER_TYPE = 1_000;
/** Data-type objects accepted per request. */
export const MAX_TYPES_PER_REQUEST = 20;

const WRONG_FORMAT: WsError = { name: 'WRONG_FORMAT', message: 'Format 이 맞지 않습니다.' };

/**
 * Parses a subscription message: a JSON array of ticket, type objects and an optional format object.
 * Accepts snake_case and the older camelCase flags; orderbook codes may carry a `.N` depth suffix
 * (1/5/15/30; anything else means 30). `isPrivate` tells whether myOrder/myAsset are allowed.
 */
export function parseWsRequest(text: string, isPrivate: boolean): WsRequest | WsError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return WRONG_FORMAT;
  }
  if (!Array.isArray(value)) return WRONG_FORMAT;
  if (value.length > MAX_TYPES_PER_REQUEST + 2)
    return { name: 'INVALID_PARAM', message: `at most ${MAX_TYPES_PER_REQUEST} types per request` };
  if (!value.some((v) => isObject(v) && typeof v.ticket === 'string' && v.ticket !== ''))
    return { name: 'NO_TICKET', message: '티켓이 존재하지 않거나, 유효하지 않습니다.' };
  let format: WsFormat = 'DEFAULT';
  const subscriptions: WsSubscription[] = [];
  for (const item of value) {
    if (!isObject(item)) return WRONG_FORMAT;
    if (typeof item.format === 'string')
      format = FORMATS.has(item.format) ? (item.format as WsFormat) : 'DEFAULT';
    if (!('type' in item)) continue;
    const type = item.type;
    if (typeof type !== 'string' || type === '')
      return { name: 'NO_TYPE', message: '타입이 존재하지 않습니다.' };
    const quotation = QUOTATION_TYPES.has(type) || CANDLE_TYPES.has(type);
    if (!quotation && !PRIVATE_TYPES.has(type))
      return { name: 'INVALID_PARAM', message: `${echo(type)} 은 지원하지 않는 타입입니다.` };
    if (PRIVATE_TYPES.has(type) && !isPrivate)
      return { name: 'INVALID_AUTH', message: '인증이 필요한 타입입니다.' };
    const codes = new Map<string, number>();
    if (type === 'myAsset') {
      if ('codes' in item) return WRONG_FORMAT;
    } else if (item.codes !== undefined) {
      if (!Array.isArray(item.codes) || item.codes.some((c) => typeof c !== 'string')) return WRONG_FORMAT;
      if (item.codes.length > MAX_CODES_PER_TYPE)
        return { name: 'INVALID_PARAM', message: `at most ${MAX_CODES_PER_TYPE} codes per type` };
      for (const raw of item.codes as string[]) {
        const dot = raw.indexOf('.');
        const code = dot < 0 ? raw : raw.slice(0, dot);
        const n = dot < 0 ? 30 : Number(raw.slice(dot + 1));
        codes.set(code, type === 'orderbook' && DEPTHS.has(n) ? n : 30);
      }
    } else if (quotation) return { name: 'NO_CODES', message: '코드가 존재하지 않습니다.' };
    if (quotation && codes.size === 0) return { name: 'NO_CODES', message: '코드가 존재하지 않습니다.' };
    subscriptions.push({
      type,
      codes,
      onlySnapshot: quotation && flag(item, 'is_only_snapshot', 'isOnlySnapshot'),
      onlyRealtime: quotation && flag(item, 'is_only_realtime', 'isOnlyRealtime'),
    });
  }
  if (subscriptions.length === 0) return { name: 'NO_TYPE', message: '타입이 존재하지 않습니다.' };
  return { subscriptions, format };
}
