/**
 * At most `size` calls on the wire at once; the rest wait here, in order, without a timer. Calls
 * that wait here have not been handed to GramJS yet, so their call timeout has not started: a
 * timeout then measures time on the wire, not time spent behind other calls.
 */
export class InFlightWindow {
  readonly #size: number;
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError(`window size must be at least 1, got ${size}`);
    this.#size = size;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves with a release function once a place is free; rejects with `signal.reason` if it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#inFlight < this.#size) {
      this.#inFlight += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal.removeEventListener("abort", onAbort);
        this.#inFlight += 1;
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(admit);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(admit);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#waiting.shift()?.();
    };
  }
}
