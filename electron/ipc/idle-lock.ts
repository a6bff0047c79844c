// Locks the store after a period of inactivity. The clock is injected so the rule is tested without waiting:
// the shell polls `idleSeconds()` (Electron: system idle time; browser mode: time since the last API call).

export interface IdleLockOptions {
  /** Seconds the user has been inactive, as the shell measures it. */
  idleSeconds(): number;
  limitSeconds: number;
  /** Locks the store (the shells call the `store.lock` operation). Failures are reported, never thrown. */
  lock(): Promise<unknown>;
  onError?(error: unknown): void;
}

export interface IdleLock {
  /** Checks once; the shell calls it on a timer. Locks at most once per idle period. */
  check(): Promise<boolean>;
}

export function createIdleLock(options: IdleLockOptions): IdleLock {
  if (!(options.limitSeconds > 0)) throw new RangeError('idle lock limit must be a positive number of seconds');
  let lockedThisPeriod = false;
  let inFlight = false;
  return {
    async check() {
      const idle = options.idleSeconds();
      if (idle < options.limitSeconds) {
        lockedThisPeriod = false;
        return false;
      }
      if (lockedThisPeriod || inFlight) return false;
      inFlight = true;
      try {
        await options.lock();
        lockedThisPeriod = true;
        return true;
      } catch (error) {
        options.onError?.(error);
        return false;
      } finally {
        inFlight = false;
      }
    },
  };
}

/** Minutes from DECLSIGN_IDLE_LOCK_MINUTES, else 10. Zero or a bad value keeps the default: the lock cannot be turned off by accident. */
export function idleLockLimitSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const minutes = Number(env.DECLSIGN_IDLE_LOCK_MINUTES);
  return Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60) : 10 * 60;
}

/** How often the shells poll; a lock lands at most this late. */
export const IDLE_POLL_MS = 15_000;
