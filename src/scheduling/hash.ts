/**
 * Returns a stable 32-bit unsigned hash of three integers. Used wherever the rules need a
 * deterministic spread (catch-up dates, effective-date jitter), so reruns land on the same days.
 */
export function stableHash(a: number, b: number, c: number): number {
  let h = 0x811c9dc5;
  h = mix(h, a);
  h = mix(h, b);
  h = mix(h, c);
  // Final avalanche (from MurmurHash3's fmix32) so nearby inputs give unrelated outputs.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(h: number, value: number): number {
  // Split into two 32-bit halves so ids and day numbers beyond 2^32 still hash every bit.
  const low = value | 0;
  const high = Math.floor(value / 0x1_0000_0000) | 0;
  h = Math.imul(h ^ low, 0x01000193);
  h = Math.imul(h ^ high, 0x01000193);
  return h;
}
