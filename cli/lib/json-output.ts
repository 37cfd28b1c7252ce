const PLACEHOLDER = '"__qts_streamed_array__"';

/**
 * Writes `JSON.stringify(value, null, 2)` in pieces, streaming one large array property (a year of
 * fills is hundreds of MB as one string) element by element. The bytes are exactly those of
 * `JSON.stringify(value, null, 2)`, so `--json` stays byte-identical whichever way it is written.
 */
export function writeJsonStreamingArray<T extends object>(
  value: T,
  key: keyof T & string,
  write: (chunk: string) => void,
): void {
  const items = value[key];
  if (!Array.isArray(items) || items.length === 0) {
    write(JSON.stringify(value, null, 2));
    return;
  }
  // Spreading keeps the key order, so the placeholder sits exactly where the array would.
  const shell = JSON.stringify({ ...value, [key]: PLACEHOLDER.slice(1, -1) }, null, 2);
  const at = shell.indexOf(PLACEHOLDER);
  const lineStart = shell.lastIndexOf('\n', at) + 1;
  const indent = shell.slice(lineStart, shell.indexOf('"', lineStart));
  const inner = `${indent}  `;
  write(`${shell.slice(0, at)}[`);
  let buffer = '';
  items.forEach((item: unknown, i: number) => {
    buffer += `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`)}`;
    if (buffer.length > 1 << 16) {
      write(buffer);
      buffer = '';
    }
  });
  write(`${buffer}\n${indent}]${shell.slice(at + PLACEHOLDER.length)}`);
}
