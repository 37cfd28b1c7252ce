/**
 * Standard normal cumulative distribution Φ(x), accurate to about 1e-15 relative over the whole
 * real line. MacKinnon p-values and bulk volume classification both need it, and JavaScript has no
 * `erf`; this uses two classical expansions so no coefficient table has to be trusted:
 * - |x| < 3: Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(1·3·…·(2n+1)) (all terms positive, no cancellation);
 * - |x| ≥ 3: the upper tail Q(|x|) = φ(x)/(|x| + 1/(|x| + 2/(|x| + 3/…))) (Laplace's continued
 *   fraction, evaluated with the modified Lentz method), which keeps full relative precision in the
 *   far tail where ½ − small would lose it.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  const ax = Math.abs(x);
  if (ax < 3) return 0.5 + normalPdf(x) * seriesSum(x);
  const tail = normalPdf(ax) * millsContinuedFraction(ax);
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal density; exported because callers that need Φ usually need φ too. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Σ x^(2n+1)/(1·3·…·(2n+1)) for n = 0…, summed in order until the terms stop mattering. The terms
 * share x's sign and, once x² < the next divisor, only shrink; from there a term that leaves the
 * sum unchanged means every later one would too (rounding is monotonic), so the loop ends there.
 * That is the sum the former stop rule (|term| < 1e-17·|sum|, always past that point) returned,
 * bit for bit, a term or two sooner.
 */
function seriesSum(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let d = 3; d < 1000; d += 2) {
    term *= x2 / d;
    const next = sum + term;
    if (next === sum && x2 < d + 2) return sum;
    sum = next;
  }
  return sum;
}

// Mills ratio R(x) = Q(x)/φ(x) = 1/(x + 1/(x + 2/(x + 3/(x + …)))), x ≥ 3.
function millsContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    d = x + n * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + n / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}
