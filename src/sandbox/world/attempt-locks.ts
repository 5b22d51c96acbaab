/**
 * Wrong-attempt counts that turn into a lock: after `maxWrong()` wrong tries for one key (a phone
 * number, an account), further tries are refused for `lockSeconds()` (Telegram's FLOOD_WAIT_X).
 */
interface Lock {
  wrong: number;
  lockedUntil: number;
}

export class AttemptLocks {
  private readonly locks = new Map<string, Lock>();

  constructor(
    private readonly maxWrong: () => number,
    private readonly lockSeconds: () => number,
    private readonly now: () => number,
  ) {}

  /** Seconds `key` is still locked (0: not locked). */
  secondsLeft(key: string): number {
    const lock = this.locks.get(key);
    if (!lock || lock.lockedUntil <= this.now()) return 0;
    return Math.ceil((lock.lockedUntil - this.now()) / 1000);
  }

  countWrong(key: string): void {
    const lock = this.locks.get(key) ?? { wrong: 0, lockedUntil: 0 };
    lock.wrong += 1;
    if (lock.wrong >= this.maxWrong()) {
      lock.wrong = 0;
      lock.lockedUntil = this.now() + this.lockSeconds() * 1000;
    }
    this.locks.set(key, lock);
  }

  /** A right answer clears the count. */
  clear(key: string): void {
    this.locks.delete(key);
  }

  /** Forgets keys whose lock is over and that `stillCounting` no longer needs a count for. */
  prune(stillCounting: (key: string) => boolean): void {
    for (const [key, lock] of this.locks)
      if (lock.lockedUntil <= this.now() && !stillCounting(key)) this.locks.delete(key);
  }
}
