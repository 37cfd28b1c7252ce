/**
 * Rejection codes, spelled exactly as Upbit's `error.name` so the fake exchange can return them
 * verbatim and the client can map the real exchange's answers onto the same union.
 */
export const RejectionCode = {
  validationError: 'validation_error',
  invalidParameter: 'invalid_parameter',
  createBidError: 'create_bid_error',
  createAskError: 'create_ask_error',
  insufficientFundsBid: 'insufficient_funds_bid',
  insufficientFundsAsk: 'insufficient_funds_ask',
  underMinTotalBid: 'under_min_total_bid',
  underMinTotalAsk: 'under_min_total_ask',
  overKrwFundsBid: 'over_krw_funds_bid',
  overKrwFundsAsk: 'over_krw_funds_ask',
  invalidPriceBid: 'invalid_price_bid',
  invalidPriceAsk: 'invalid_price_ask',
  invalidVolumeBid: 'invalid_volume_bid',
  invalidVolumeAsk: 'invalid_volume_ask',
  invalidTimeInForce: 'invalid_time_in_force',
  invalidPostOnly: 'invalid_post_only',
  duplicatedIdentifier: 'duplicated_identifier',
  notFoundMarket: 'notfoundmarket',
  marketOffline: 'market_offline',
} as const;
/** One of {@link RejectionCode}. */
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

/** A refused order: the Upbit error name plus an English message that says what to change. */
export interface OrderRejection {
  readonly code: RejectionCode;
  readonly message: string;
}

/** Result of a pre-trade check: accepted, or refused with the exact reason. */
export type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly rejection: OrderRejection };

/** The accepted result, shared to avoid allocation. */
export const ACCEPTED: ValidationResult = { ok: true };

/** Builds a refusal. */
export function reject(code: RejectionCode, message: string): ValidationResult {
  return { ok: false, rejection: { code, message } };
}
