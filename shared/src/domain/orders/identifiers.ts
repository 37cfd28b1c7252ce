import type { Market } from '../market/market-id';
import { type EpochMs, FOUR_DIGIT_YEARS_END, MS } from '../time/epoch';

declare const decisionBrand: unique symbol;
declare const identifierBrand: unique symbol;

/** Id of one trading decision; the root of every order identifier derived from it. */
export type DecisionId = string & { readonly [decisionBrand]: 'DecisionId' };
/** Upbit `identifier` of an order: ≤ 64 chars, unique for the account forever. */
export type OrderIdentifier = string & { readonly [identifierBrand]: 'OrderIdentifier' };

/** Upbit's identifier limit. */
export const MAX_IDENTIFIER_LENGTH = 64;
// Leaves room for the `qts.` prefix and `.LL.AA` leg/attempt suffix inside 64 characters.
const MAX_DECISION_ID_LENGTH = 48;
const DECISION_ID = /^[A-Za-z0-9_:-]{1,48}$/;

/** Why an id was refused. */
export class IdentifierError extends Error {
  override readonly name = 'IdentifierError';
}

/** Validates a decision id from a message or store: letters, digits, `_`, `:` and `-`, at most 48 chars. */
export function parseDecisionId(text: string): DecisionId {
  // A decision's legs are identified one after another: the id just validated is not tested again.
  if (text === lastValidDecisionId) return text as DecisionId;
  if (!DECISION_ID.test(text))
    throw new IdentifierError(
      `invalid decision id "${text}": use 1–${MAX_DECISION_ID_LENGTH} characters from A-Z a-z 0-9 _ : -`,
    );
  lastValidDecisionId = text;
  return text as DecisionId;
}

let lastValidDecisionId: string | undefined;

function compactIso(at: number): string {
  // 2026-11-25T14:01:00.000Z → 20261125T1401
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

// The date part changes once a day, while ids are made every minute: it is formatted once per day.
let cachedDay = Number.NaN;
let cachedDate = '';

function compactUtc(at: EpochMs): string {
  if (!(at >= 0 && at < FOUR_DIGIT_YEARS_END)) return compactIso(at);
  const day = Math.floor(at / MS.day);
  return `${dateOf(day)}${hourMinuteText(minuteOfDay(at, day))}`;
}

/** The day's `yyyyMMddT` (day: whole days since the epoch, in the four-digit years). */
function dateOf(day: number): string {
  if (day !== cachedDay) {
    cachedDate = compactIso(day * MS.day).slice(0, 9);
    cachedDay = day;
  }
  return cachedDate;
}

const MINUTES_A_DAY = 24 * 60;

/**
 * The hour × 60 + minute of `at` within `day` (its whole days since the epoch). A whole-millisecond
 * `at` (every bar's) takes its whole minutes since the epoch less the day's: the same number (the
 * quotients of integers below 2^53 by 60,000 floor exactly) without the double remainder below,
 * which compiles to a call out of the generated code on every id.
 */
function minuteOfDay(at: EpochMs, day: number): number {
  if (Math.floor(at) === at) return Math.floor(at / MS.minute) - day * MINUTES_A_DAY;
  const inDay = at - day * MS.day;
  const h = Math.floor(inDay / MS.hour);
  const m = Math.floor((inDay % MS.hour) / MS.minute);
  return h * 60 + m;
}

// "HHMM" and "HHMM-0" by minute of the day, made once each (a run makes an id every minute).
const HOUR_MINUTE: (string | undefined)[] = new Array<string | undefined>(24 * 60).fill(undefined);
const HOUR_MINUTE_SEQ_0: (string | undefined)[] = new Array<string | undefined>(24 * 60).fill(undefined);

function hourMinuteText(minute: number): string {
  let text = HOUR_MINUTE[minute];
  if (text === undefined) {
    const h = Math.floor(minute / 60);
    const m = minute - h * 60;
    text = `${h < 10 ? '0' : ''}${h}${m < 10 ? '0' : ''}${m}`;
    HOUR_MINUTE[minute] = text;
  }
  return text;
}

/**
 * `${prefix}${compactUtc(at)}-${seq}`. For an in-range minute and sequence 0 (one decision per
 * producer and minute, the usual case) it is the prefix's day text (kept per prefix and day) and
 * the minute's `HHMM-0` (kept per minute of day) joined once, instead of five joins per id.
 */
function idText(prefix: IdPrefix, at: EpochMs, seq: number): string {
  if (seq !== 0 || !(at >= 0 && at < FOUR_DIGIT_YEARS_END)) return `${prefix.text}${compactUtc(at)}-${seq}`;
  const day = Math.floor(at / MS.day);
  if (day !== prefix.day) {
    prefix.dayText = `${prefix.text}${dateOf(day)}`;
    prefix.day = day;
  }
  const minute = minuteOfDay(at, day);
  let tail = HOUR_MINUTE_SEQ_0[minute];
  if (tail === undefined) {
    tail = `${hourMinuteText(minute)}-0`;
    HOUR_MINUTE_SEQ_0[minute] = tail;
  }
  return prefix.dayText + tail;
}

/**
 * Decision id for a (scope, market, minute). The same analysis run for the same minute yields the
 * same id, so a retried Lambda or a redelivered message can never create a second order.
 * `scope` names the producer (e.g. `ens` for the ensemble, `ops` for operator commands) and `seq`
 * separates several decisions of one producer in one minute.
 */
export function makeDecisionId(scope: string, market: Market, minute: EpochMs, seq = 0): DecisionId {
  const prefix = prefixOf(scope, market);
  const text = idText(prefix, minute, seq);
  // Ids are made every minute from a handful of (scope, market) prefixes: a prefix that passes the
  // pattern, an in-range minute (digits and `T`) and a safe whole sequence number (digits, maybe a
  // `-`) keep the text inside it, so only its length is left to check. Such a text is the last
  // valid id, as if parseDecisionId had just passed it: identifying its orders (orderIdentifier,
  // next bar's fills) then tests no pattern either.
  if (
    prefix.valid &&
    minute >= 0 &&
    minute < FOUR_DIGIT_YEARS_END &&
    Number.isSafeInteger(seq) &&
    text.length <= MAX_DECISION_ID_LENGTH
  ) {
    lastValidDecisionId = text;
    return text as DecisionId;
  }
  return parseDecisionId(text);
}

/**
 * A (scope, market)'s id prefix `${scope}-${market.slice(4)}-`, whether it passes the pattern, and
 * its text joined with the day last asked. Kept per scope and market, not only for the last pair:
 * a multi-market run asks for its markets in turn every minute, and a single remembered prefix
 * was a new text (joined, then hashed by the set of valid prefixes) and a new day text per id.
 */
interface IdPrefix {
  readonly text: string;
  readonly valid: boolean;
  /** Whole days since the epoch of `dayText` (NaN: none yet). */
  day: number;
  dayText: string;
}

// Bounded: a run has a handful of (scope, market) pairs; a long-lived process starts over.
const MAX_PREFIXES = 256;
const prefixes = new Map<string, Map<Market, IdPrefix>>();
let prefixCount = 0;

// The last (scope, market) asked and its prefix.
let lastPrefixScope: string | undefined;
let lastPrefixMarket: Market | undefined;
let lastPrefix: IdPrefix | undefined;

function prefixOf(scope: string, market: Market): IdPrefix {
  if (scope === lastPrefixScope && market === lastPrefixMarket && lastPrefix !== undefined) return lastPrefix;
  let byMarket = prefixes.get(scope);
  let prefix = byMarket?.get(market);
  if (prefix === undefined) {
    if (prefixCount >= MAX_PREFIXES) {
      prefixes.clear();
      prefixCount = 0;
      byMarket = undefined;
    }
    if (byMarket === undefined) {
      byMarket = new Map();
      prefixes.set(scope, byMarket);
    }
    const text = `${scope}-${market.slice(4)}-`;
    prefix = { text, valid: DECISION_ID.test(text), day: Number.NaN, dayText: '' };
    byMarket.set(market, prefix);
    prefixCount++;
  }
  lastPrefixScope = scope;
  lastPrefixMarket = market;
  lastPrefix = prefix;
  return prefix;
}

/**
 * The Upbit identifier for leg `leg` (e.g. a quote layer) and attempt `attempt` of a decision.
 * Pure and deterministic: every process that sees the decision derives the same identifier, which is
 * what lets the venue detect a duplicate and lets reconciliation find an order after a crash.
 * A new attempt is only for re-sending after a definite rejection (the old identifier is burnt).
 */
export function orderIdentifier(decisionId: DecisionId, leg = 0, attempt = 0): OrderIdentifier {
  if (!Number.isInteger(leg) || leg < 0 || leg > 99)
    throw new IdentifierError(`leg must be 0–99, got ${leg}`);
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 99)
    throw new IdentifierError(`attempt must be 0–99, got ${attempt}`);
  const id = `qts.${parseDecisionId(decisionId)}.${leg}.${attempt}`;
  return id as OrderIdentifier;
}

/** Recovers the decision, leg and attempt from an identifier this system created; undefined for others. */
export function parseOrderIdentifier(
  identifier: string,
): { decisionId: DecisionId; leg: number; attempt: number } | undefined {
  const match = /^qts\.([A-Za-z0-9_:-]{1,48})\.(\d{1,2})\.(\d{1,2})$/.exec(identifier);
  if (match === null) return undefined;
  const [, decisionId, leg, attempt] = match;
  if (decisionId === undefined || leg === undefined || attempt === undefined) return undefined;
  return { decisionId: decisionId as DecisionId, leg: Number(leg), attempt: Number(attempt) };
}

const MINUTE_STAMP = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})-\d+$/;

/**
 * The minute a {@link makeDecisionId} id was made for, or undefined for an id of another shape
 * (adopted or foreign orders, hand-written ids). A decision is made at or after its minute and its
 * orders after the decision, so no fill of its orders can be earlier: readers use it to bound how
 * far back an order's first fill can lie.
 */
export function decisionMinuteOf(id: DecisionId): EpochMs | undefined {
  const match = MINUTE_STAMP.exec(id);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // makeDecisionId stamps only minutes from 1970 to 9999 this way.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59)
    return undefined;
  const at = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 31 February over into March: only a real calendar minute is a stamp.
  if (new Date(at).getUTCDate() !== day) return undefined;
  return at as EpochMs;
}
