import type { MarketRules } from '../market/market-rules';
import type { Decimal } from '../money/decimal';
import { type Price, price as toPrice } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import { checkFunds, type RequiredLock, requiredLock, validateOrder } from '../orders/validate-order';
import type { EpochMs } from '../time/epoch';
import type { MarketBook } from './market-book';
import { checkMarketDepth } from './new-order';
import {
  type ExchangeError,
  exchangeError,
  type RawOrderRequest,
  readOrderRequest,
  SHAPE_ERROR_CODES,
  UPBIT_MESSAGES,
} from './order-intake';

/** A request that passed validation, with what booking it needs. */
export interface Admitted {
  readonly ok: true;
  readonly draft: OrderDraft;
  readonly identifier: string | undefined;
  readonly lock: RequiredLock;
  readonly book: MarketBook;
}

/** A refused request: the Upbit error to answer. */
export interface Refused {
  readonly ok: false;
  readonly error: ExchangeError;
}

/** What admission reads (and, for identifiers, writes) of the engine's state. */
export interface AdmissionState {
  readonly rules: MarketRules;
  readonly books: ReadonlyMap<string, MarketBook>;
  /** Identifiers ever used; a well-formed one is added unless `burn` is false (`/orders/test`). */
  readonly burnt: Set<string>;
  readonly tickOverrides: ReadonlyMap<string, Price>;
  /** Available balance of a currency for the funds check (plus what a cancel in the same request frees). */
  readonly available: (currency: string) => Decimal;
  readonly burn: boolean;
}

/** An Upbit refusal with Upbit's message for the name when one is documented, bounded in length. */
export function refusal(rejection: { code: string; message: string }): Refused {
  const message = UPBIT_MESSAGES[rejection.code] ?? rejection.message;
  return {
    ok: false,
    error: exchangeError(400, rejection.code, message.length > 200 ? `${message.slice(0, 200)}…` : message),
  };
}

/**
 * Upbit's validation order for one order request (PROTOCOL.md §8): market, side/ord_type and field
 * shape, then identifier reuse (§6.3: any request that reaches validation burns a well-formed
 * identifier; over-long ones are refused and never stored, so memory stays bounded), tick/volume/total,
 * funds and the 30-level depth for market orders. Changes nothing but the burnt identifiers.
 */
export function admitOrder(raw: RawOrderRequest, now: EpochMs, state: AdmissionState): Admitted | Refused {
  const identifier = typeof raw.identifier === 'string' ? raw.identifier : undefined;
  const wellFormed =
    identifier !== undefined && identifier.length > 0 && identifier.length <= state.rules.maxIdentifierLength;
  const wasUsed = wellFormed && state.burnt.has(identifier);
  if (wellFormed && state.burn) state.burnt.add(identifier);
  const intake = readOrderRequest(raw, (m) => state.books.has(m));
  if (!intake.ok) return intake;
  const draft = intake.draft;
  const book = state.books.get(draft.market) as MarketBook;
  const bestBid = book.best('bid');
  const tick = state.tickOverrides.get(draft.market);
  const ctx = {
    ...(draft.side === 'ask' && bestBid !== undefined ? { referencePrice: toPrice(bestBid) } : {}),
    ...(tick === undefined ? {} : { tick }),
  };
  const verdict = validateOrder(draft, state.rules, now, ctx);
  if (!verdict.ok && SHAPE_ERROR_CODES.has(verdict.rejection.code)) return refusal(verdict.rejection);
  if (wasUsed) return refusal({ code: 'duplicated_identifier', message: 'identifier is already used' });
  if (!verdict.ok) return refusal(verdict.rejection);
  const lock = requiredLock(draft, state.rules);
  const funds = checkFunds(draft, state.available(lock.currency), state.rules);
  if (!funds.ok) return refusal(funds.rejection);
  const depthError = checkMarketDepth(book, draft.side, draft.ordType, draft.price, draft.volume);
  if (depthError !== undefined) return { ok: false, error: depthError };
  return { ok: true, draft, identifier, lock, book };
}
