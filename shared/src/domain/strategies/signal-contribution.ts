import type { SignalContribution } from '../trading/decision';
import type { StrategySignal } from './strategy';

// Not enumerable: a signal's JSON text and its spread copies (which read the reason) are unchanged.
const CONTRIBUTION = Symbol('contribution');

type Carrier = { [CONTRIBUTION]?: SignalContribution | undefined };

// One getter and descriptors for every carrier: the signals keep one hidden class (V8 shares the
// transition to an accessor whose getter is the same function), and stay in fast mode, as they
// would not if built as a literal with a getter.
function carriedReason(this: Carrier): string {
  return (this[CONTRIBUTION] as SignalContribution).reason;
}
const REASON = { get: carriedReason, enumerable: true, configurable: true } as const;
const CARRIED = { value: undefined, writable: true, enumerable: false, configurable: false } as const;

/**
 * Makes `signal` (its fields before `reason` set, in their order; the caller adds the rest after)
 * carry its own contribution to a decision (`{ strategy, score, weight, reason }`), whose reason
 * text may be made on first read (market making's QuoteReason): its `reason` becomes an
 * enumerable getter reading that contribution's, so JSON and spread copies read the text as they
 * read a string field. For a signal its producer rewrites in place: {@link setCarriedContribution}
 * on every rewrite.
 */
export function carryContribution(signal: object, contribution: SignalContribution): void {
  Object.defineProperty(signal, 'reason', REASON);
  Object.defineProperty(signal, CONTRIBUTION, CARRIED);
  (signal as Carrier)[CONTRIBUTION] = contribution;
}

/** Replaces the contribution a signal made a carrier by {@link carryContribution} carries. */
export function setCarriedContribution(signal: StrategySignal, contribution: SignalContribution): void {
  (signal as Carrier)[CONTRIBUTION] = contribution;
}

/**
 * The contribution `signal` carries (see carryContribution), or undefined: a signal its producer
 * did not make a carrier, or a copy of one (a spread copies no non-enumerable property).
 */
export function carriedContribution(signal: StrategySignal): SignalContribution | undefined {
  return (signal as Carrier)[CONTRIBUTION];
}
