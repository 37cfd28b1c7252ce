/**
 * Why a candle file could not be used. Carries the file and the line (CSV) or item (JSON) so a user
 * can open the file at the exact spot instead of guessing which of 500,000 rows is wrong.
 */
export class CandleDataError extends Error {
  override readonly name = 'CandleDataError';

  constructor(
    readonly file: string,
    readonly location: string | undefined,
    detail: string,
  ) {
    super(`${file}${location === undefined ? '' : `, ${location}`}: ${detail}`);
  }
}
