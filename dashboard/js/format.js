// @ts-check
import { language, t } from './i18n.js';

/** Locale for number formatting in the current language. */
function locale() {
  return language() === 'ko' ? 'ko-KR' : 'en-US';
}

/**
 * KRW amount from the API's decimal text (or a number): whole won, grouped. Display only; the API
 * keeps money exact as text, and nothing here feeds back into an order.
 * @param {string | number | null | undefined} value
 */
export function krw(value) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  return `${n.toLocaleString(locale(), { maximumFractionDigits: 0 })}${language() === 'ko' ? '원' : ' KRW'}`;
}

/**
 * Signed KRW with a colour class: red up, blue down (Korean market convention).
 * @param {string | number | null | undefined} value
 * @returns {{ text: string, cls: string }}
 */
export function signedKrw(value) {
  if (value === null || value === undefined) return { text: '—', cls: '' };
  const n = Number(value);
  const text = `${n > 0 ? '+' : ''}${krw(value)}`;
  return { text, cls: n > 0 ? 'up' : n < 0 ? 'down' : '' };
}

/**
 * Percent with sign, `digits` decimals.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 */
export function pct(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}%`;
}

/**
 * A plain number (ratios), `digits` decimals.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 */
export function num(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * A volume from decimal text, up to 8 decimals.
 * @param {string | null | undefined} value
 */
export function vol(value) {
  if (value === null || value === undefined) return '—';
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: 8 });
}

/**
 * Time in KST (the exchange's and the loss limits' clock), whatever the browser's zone.
 * @param {number | null | undefined} at epoch ms
 */
export function kstTime(at) {
  if (at === null || at === undefined) return '—';
  return new Date(at).toLocaleString(locale(), {
    timeZone: 'Asia/Seoul',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/**
 * Age in seconds as "n초 전" / "n s ago".
 * @param {number | null | undefined} ms
 */
export function ago(ms) {
  if (ms === null || ms === undefined) return '—';
  return t('ago', { n: Math.round(ms / 1000) });
}

/**
 * Creates an element with text and optional class.
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [cls]
 */
export function el(tag, text = '', cls = '') {
  const node = document.createElement(tag);
  node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

/**
 * Fills a table from a header row and rows of cells (text, or `{text, cls}`). Built with DOM calls,
 * never innerHTML, so no value from the API can inject markup.
 * @param {HTMLTableElement} table
 * @param {string[]} head
 * @param {Array<Array<string | { text: string, cls?: string } | Node>>} rows
 * @param {string} [empty] text when there are no rows
 */
export function fillTable(table, head, rows, empty = '') {
  table.replaceChildren();
  const thead = table.createTHead().insertRow();
  for (const h of head) thead.appendChild(el('th', h));
  const body = table.createTBody();
  if (rows.length === 0 && empty) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = head.length;
    cell.textContent = empty;
    cell.className = 'muted';
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      if (cell instanceof Node) td.appendChild(cell);
      else if (typeof cell === 'string') td.textContent = cell;
      else {
        td.textContent = cell.text;
        if (cell.cls) td.className = cell.cls;
      }
    }
  }
}
