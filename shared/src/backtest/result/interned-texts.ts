/**
 * Short texts that repeat across a run's trades (market and strategy names, market making's reason
 * tails) kept once each and recorded by code. The text looked up last is checked first, by identity
 * or equal content, before the map: most trades repeat the previous trade's text (one market, one
 * strategy; a tail that holds while its numbers do), and a map lookup hashes the text.
 */
export class InternedTexts {
  readonly #texts: string[] = [];
  readonly #codes = new Map<string, number>();
  #last: string | undefined;
  #lastCode = -1;

  /** The code of `text`, a new one (the next integer from 0) for a text not seen before. */
  code(text: string): number {
    if (text === this.#last) return this.#lastCode;
    let code = this.#codes.get(text);
    if (code === undefined) {
      code = this.#texts.length;
      this.#texts.push(text);
      this.#codes.set(text, code);
    }
    this.#last = text;
    this.#lastCode = code;
    return code;
  }

  /** The text of a code {@link code} returned. */
  text(code: number): string {
    return this.#texts[code] as string;
  }
}
