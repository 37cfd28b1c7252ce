/**
 * Fewest daily returns a Sharpe or Sortino ratio is printed without a warning. Below about a month
 * the estimate's standard error (≈ √((1 + SR²/2) / T) per day, times √365 annualised) is larger
 * than any Sharpe worth having: a 7-day run once printed Sharpe −36.
 */
export const MIN_DAILY_RETURNS_FOR_SHARPE = 30;

/** The warning to print next to a Sharpe/Sortino from `days` daily returns, or undefined when enough. */
export function sharpeWarning(days: number): string | undefined {
  if (days >= MIN_DAILY_RETURNS_FOR_SHARPE) return undefined;
  return `Sharpe and Sortino from ${days} daily return${days === 1 ? '' : 's'} (< ${MIN_DAILY_RETURNS_FOR_SHARPE}): too few to mean anything; judge by return and drawdown, or run longer.`;
}
