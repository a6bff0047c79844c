// Deep freezing: what makes it safe to share one parsed value between calls (a cache of the store's declarations,
// results remembered by object identity). A frozen value cannot change under a cached answer about it.

/** Freezes `value` and everything reachable from it; returns it. Plain JSON-like data only (no cycles expected). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
