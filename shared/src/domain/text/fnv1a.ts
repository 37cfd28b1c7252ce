/**
 * FNV-1a 32-bit hash of a text's UTF-16 code units, as an unsigned integer. Deterministic in every
 * process and version, so it can name things that must agree across restarts and machines (snapshot
 * shapes, request bodies, decision ids of unknown strategies); not for security.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** {@link fnv1a32} as 8 hex digits: a compact fingerprint for shapes, parameters and request bodies. */
export function fingerprint(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, '0');
}
