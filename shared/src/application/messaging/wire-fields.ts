import { z } from 'zod';
import { type Market, parseMarket } from '../../domain/market/market-id';
import { type Decimal, formatDecimal, parseDecimal } from '../../domain/money/decimal';
import { type Krw, krw, type Price, price, type Volume, volume } from '../../domain/money/quantities';
import { type DecisionId, parseDecisionId } from '../../domain/orders/identifiers';
import type { EpochMs } from '../../domain/time/epoch';
import { isStrategyName, type StrategyName } from '../../domain/trading/strategy-name';

// Same grammar parseDecimal accepts; checked here so zod reports the field path on failure.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Decimal text on the wire, never a JSON number: a double would silently round money. */
export const decimalText = z.string().regex(DECIMAL_TEXT, 'expected a decimal string such as "123.45"');

/**
 * Exact decimal from text that matched {@link decimalText}. parseDecimal also bounds the length and
 * the magnitude (hostile input such as 500 digits or 1e999999): its refusal becomes a zod issue on the
 * field, because a throw inside a transform escapes `safeParse` and would crash the consumer instead
 * of dead-lettering the message.
 */
function exact<T extends Decimal>(wrap: (d: Decimal) => T) {
  return (text: string, ctx: z.RefinementCtx): T => {
    try {
      return wrap(parseDecimal(text));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
}

/** Exact KRW amount from decimal text. */
export const krwField = decimalText.transform(exact<Krw>(krw));
/** Exact price from decimal text. */
export const priceField = decimalText.transform(exact<Price>(price));
/** Exact volume from decimal text. */
export const volumeField = decimalText.transform(exact<Volume>(volume));

/** Epoch milliseconds as an integer. */
export const epochField = z
  .number()
  .int()
  .nonnegative()
  .transform((ms) => ms as EpochMs);

/** A KRW market code, validated by the domain's own parser. */
export const marketField = z.string().transform((text, ctx): Market => {
  try {
    return parseMarket(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** A decision id, validated by the domain's own parser. */
export const decisionIdField = z.string().transform((text, ctx): DecisionId => {
  try {
    return parseDecisionId(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** One of the five strategy names. */
export const strategyField = z
  .string()
  .refine(isStrategyName, 'unknown strategy')
  .transform((s) => s as StrategyName);

/** A strategy name or `operator` (manual orders). */
export const strategyOrOperatorField = z.union([z.literal('operator'), strategyField]);

/** Decimal → wire text (plain, no exponent). */
export function decimalToText(value: Decimal): string {
  return formatDecimal(value);
}
