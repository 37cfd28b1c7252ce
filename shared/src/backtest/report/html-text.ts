const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML content and quoted attributes. Every string on the page goes through it:
 * trade reasons and market names come from data files and must never become markup.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON safe to embed in `<script type="application/json">`: `<` is written as `\u003c` so no value
 * can close the script element, and the line separators JavaScript once choked on are escaped.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Fixed-point text with thousands separators, independent of the machine's locale so the same
 * result always renders the same page.
 */
export function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '–';
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', frac] = fixed.split('.');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${groupThousands(whole)}${frac === undefined ? '' : `.${frac}`}`;
}

/**
 * A KRW amount from a decimal string or number, ₩ and grouped, with the decimals it deserves:
 * whole won from ₩1,000 up, two decimals below (a 0.05 % fee on a small fill is ₩24.95, not ₩25),
 * four below one won.
 */
export function formatKrw(value: string | number): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  return `${n < 0 && Number(abs.toFixed(4)) !== 0 ? '-' : ''}₩${formatNumber(abs, abs >= 1000 ? 0 : abs >= 1 ? 2 : 4)}`;
}

/**
 * A price on the tick grid, exactly as the broker booked it (a decimal string), ₩ and grouped:
 * `50101000` → `₩50,101,000`, `0.0123` → `₩0.0123`. No rounding: ticks below one won exist.
 */
export function formatPrice(text: string): string {
  const [whole = '0', frac] = text.split('.');
  return `₩${groupThousands(whole)}${frac === undefined ? '' : `.${frac}`}`;
}

/** A percentage with two decimals, or a dash for an undefined ratio. */
export function formatPct(value: number | null): string {
  return value === null ? '–' : `${formatNumber(value, 2)}%`;
}

/** A ratio (Sharpe, profit factor) with two decimals, or a dash when undefined. */
export function formatRatio(value: number | null): string {
  return value === null ? '–' : formatNumber(value, 2);
}

const KST_OFFSET_MS = 9 * 3_600_000;

/** `2024-01-02 09:00 KST` from epoch ms or an ISO time: Korea's clock, labelled, locale-free. */
export function formatKst(at: number | string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} KST`;
}
