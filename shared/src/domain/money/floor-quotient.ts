/**
 * ⌊n / d⌋ exactly, for safe integers with d > 0 and |n| + d ≤ 2^53. The double quotient may round
 * across a whole number, but the remainder n − q·d is then still exact and tells which way: the
 * integer-unit money paths (released cost, taker prices, floors and quotients of decimals) divide
 * this way instead of through decimal.js.
 */
export function floorQuotient(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  while (r < 0) {
    q -= 1;
    r += d;
  }
  while (r >= d) {
    q += 1;
    r -= d;
  }
  return q;
}
