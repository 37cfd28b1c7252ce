import { Decimal } from '../../domain/money/decimal';
import type { JsonValue } from '../../ports/report-store';

/** Float figures (ratios, percentages) are rounded to this many decimals: stable, short JSON. */
export const FLOAT_DECIMALS = 6;

function roundFloat(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** FLOAT_DECIMALS;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * A report or summary as JSON: exact money (`Decimal`) becomes decimal text (never a JSON number, so
 * no digit is lost), float ratios are rounded to {@link FLOAT_DECIMALS} places, values JSON cannot
 * carry (`undefined`, `Infinity`, `NaN`) become `null`. The same rule for the daily report body, the
 * API and the dashboard, so they never disagree on a figure.
 */
export function toReportJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Decimal) return value.toFixed();
  if (typeof value === 'number') return roundFloat(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toReportJson(v));
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value) out[String(k)] = toReportJson(v);
    return out;
  }
  if (value instanceof Set) return [...value].map((v) => toReportJson(v));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toReportJson(v);
    return out;
  }
  return String(value);
}
