/**
 * Random choices shared by SPOP, SRANDMEMBER and HRANDFIELD, over positions 0 … n-1 of a
 * collection. The caller maps positions to members; `random` is Math.random unless a test
 * passes a seeded one.
 */

export type Random = () => number;

/** A uniformly random position in 0 … n-1. */
export function randomPosition(n: number, random: Random = Math.random): number {
  return Math.floor(random() * n);
}

/**
 * Chooses k of n positions, each subset equally likely, and marks them in position order
 * (selection sampling, Knuth's Algorithm S — what Redis's lpNextRandom does for listpacks):
 * one pass, no auxiliary set, the chosen come out in the collection's own order.
 */
export function chooseInOrder(n: number, k: number, random: Random = Math.random): Uint8Array {
  const chosen = new Uint8Array(n);
  let needed = k;
  for (let i = 0; i < n && needed > 0; i++) {
    if (random() * (n - i) < needed) {
      chosen[i] = 1;
      needed--;
    }
  }
  return chosen;
}

/** k distinct positions of n (k <= n) in random order. */
export function chooseDistinct(n: number, k: number, random: Random = Math.random): number[] {
  const out: number[] = [];
  if (k * 3 > n) {
    // Close to the whole collection: a partial Fisher-Yates shuffle of every position.
    const positions = new Int32Array(n);
    for (let i = 0; i < n; i++) positions[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (n - i));
      const t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
      out.push(positions[i]);
    }
    return out;
  }
  // Far fewer than the whole: draw and skip repeats.
  const seen = new Set<number>();
  while (out.length < k) {
    const p = Math.floor(random() * n);
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(p);
  }
  return out;
}
