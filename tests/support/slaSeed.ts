/** Helpers of the SLA operations tests: a reproducible generator and the expected figures' rules. */

/** A small deterministic generator, so a failure can be reproduced. */
export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** The median as the tests expect it: the middle value, or the mean of the two middle ones. */
export function middle(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
