import { type Market, parseMarket } from '../market/market-id';
import { DecimalParseError, inputPreview } from '../money/decimal';
import { price as toPrice, volume as toVolume } from '../money/quantities';
import type { OrderDraft, OrderSide, OrdType, SmpType, TimeInForce } from '../orders/order-types';

/** An Upbit-style refusal: HTTP status plus `error.name` / `error.message`. */
export interface ExchangeError {
  readonly status: number;
  readonly name: string;
  readonly message: string;
}

/** Builds an {@link ExchangeError}. */
export function exchangeError(status: number, name: string, message: string): ExchangeError {
  return { status, name, message };
}

/** The Korean messages Upbit is documented to send for some names; others get an English text. */
export const UPBIT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_price_bid: '주문가격 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  invalid_price_ask: '주문가격 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  invalid_volume_bid: '주문수량 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  invalid_volume_ask: '주문수량 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  insufficient_funds_bid: '주문 가능한 금액(KRW)이 부족합니다.',
  insufficient_funds_ask: '주문 가능한 수량이 부족합니다.',
  under_min_total_bid: '최소주문금액 이상으로 주문해주세요',
  under_min_total_ask: '최소주문금액 이상으로 주문해주세요',
  invalid_time_in_force: '주문조건을 다시 확인해 주세요.',
  order_not_found: '주문을 찾지 못했습니다.',
};

/** A raw POST /orders body after JSON parsing: every field unknown until checked. */
export type RawOrderRequest = Readonly<Record<string, unknown>>;

/** A parsed request: the draft to validate, or the first refusal found while reading fields. */
export type IntakeResult =
  | { readonly ok: true; readonly draft: OrderDraft }
  | { readonly ok: false; readonly error: ExchangeError };

const SIDES = new Set(['bid', 'ask']);
const ORD_TYPES = new Set(['limit', 'price', 'market', 'best']);
const SMP_TYPES = new Set(['cancel_maker', 'cancel_taker', 'reduce', 'none']);

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function fail(name: string, message: string, status = 400): IntakeResult {
  return { ok: false, error: exchangeError(status, name, UPBIT_MESSAGES[name] ?? message) };
}

/** A market code as Upbit echoes it (`KRW-BTCs`), or a short preview of anything longer or stranger. */
export function echo(value: unknown): string {
  return typeof value === 'string' && value.length <= 32 && /^[\x21-\x7e]*$/.test(value)
    ? value
    : inputPreview(value);
}

function decimalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Reads a raw order body in Upbit's validation order (PROTOCOL.md §8 steps 1–2 and field typing):
 * unknown market first (`notfoundmarket`), then side/ord_type (`validation_error`). Combination, tick,
 * volume and total checks are left to the shared `validateOrder` so the fake and the pre-trade checks
 * can never disagree.
 */
export function readOrderRequest(raw: RawOrderRequest, isListed: (m: string) => boolean): IntakeResult {
  const market = raw.market;
  if (!present(market)) return fail('validation_error', 'market is missing');
  if (typeof market !== 'string' || !isListed(market))
    return fail('notfoundmarket', `다음 마켓에 없는 종목입니다: ${echo(market)}`);
  const side = raw.side;
  const ordType = raw.ord_type;
  const bad: string[] = [];
  if (typeof side !== 'string' || !SIDES.has(side))
    bad.push('side is missing or does not have a valid value');
  if (typeof ordType !== 'string' || !ORD_TYPES.has(ordType))
    bad.push('ord_type is missing or does not have a valid value');
  if (bad.length > 0) return fail('validation_error', bad.join(', '));
  const tif = raw.time_in_force;
  if (present(tif) && typeof tif !== 'string')
    return fail('invalid_time_in_force', 'time_in_force must be a string');
  const smp = raw.smp_type;
  if (present(smp) && (typeof smp !== 'string' || !SMP_TYPES.has(smp)))
    return fail('validation_error', 'smp_type does not have a valid value');
  const identifier = raw.identifier;
  if (present(identifier) && typeof identifier !== 'string')
    return fail('validation_error', 'identifier does not have a valid value');
  try {
    const priceText = present(raw.price) ? decimalText(raw.price) : undefined;
    const volumeText = present(raw.volume) ? decimalText(raw.volume) : undefined;
    if (present(raw.price) && priceText === undefined)
      return fail('validation_error', 'price does not have a valid value');
    if (present(raw.volume) && volumeText === undefined)
      return fail('validation_error', 'volume does not have a valid value');
    const draft: OrderDraft = {
      market: parseMarket(market) as Market,
      side: side as OrderSide,
      ordType: ordType as OrdType,
      ...(priceText === undefined ? {} : { price: toPrice(priceText) }),
      ...(volumeText === undefined ? {} : { volume: toVolume(volumeText) }),
      ...(present(tif) ? { timeInForce: tif as TimeInForce } : {}),
      ...(present(smp) ? { smpType: smp as SmpType } : {}),
      ...(typeof identifier === 'string' ? { identifier } : {}),
    };
    return { ok: true, draft };
  } catch (e) {
    if (e instanceof DecimalParseError) return fail('validation_error', `not a decimal: ${e.input}`);
    throw e;
  }
}

/** Codes of §8 steps 2–3: these win over `duplicated_identifier` (step 4); later steps lose to it. */
export const SHAPE_ERROR_CODES: ReadonlySet<string> = new Set([
  'validation_error',
  'create_bid_error',
  'create_ask_error',
  'invalid_time_in_force',
  'invalid_post_only',
]);
