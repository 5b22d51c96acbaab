/**
 * Scripted failures for the sandbox DC: make the next N calls of a method fail, hang, drop the
 * connection or run late. Key exchange steps (req_pq_multi, req_DH_params, set_client_DH_params)
 * match by name as well; an `rpcError` there is the -404 refusal, the only error the exchange has.
 */
export type Fault =
  { rpcError: { code: number; message: string } } | { delayMs: number } | { silent: true } | { drop: true };

export interface InjectOptions {
  /** How many matching calls the fault hits. @default 1 (`Infinity` allowed) */
  times?: number;
  /** Let this many matching calls through untouched first (e.g. "drop mid-upload"). @default 0 */
  skip?: number;
  /** Only calls that reach this DC match. @default any DC */
  dcId?: number;
}

export interface FaultInjector {
  inject(method: string, fault: Fault, options?: InjectOptions): void;
  clear(): void;
}

interface FaultRule {
  method: string;
  dcId: number | null;
  fault: Fault;
  skipLeft: number;
  timesLeft: number;
}

/**
 * Rules for the same method are served in the order they were injected: the oldest rule that still
 * has uses decides each call (passing it through while it is skipping, or firing), and the next
 * rule takes over once it is used up.
 */
export class ScriptedFaultInjector implements FaultInjector {
  private readonly rules: FaultRule[] = [];

  inject(method: string, fault: Fault, options: InjectOptions = {}): void {
    const times = options.times ?? 1;
    const skip = options.skip ?? 0;
    if (!(times >= 1) || (Number.isFinite(times) && !Number.isInteger(times))) {
      throw new RangeError("times must be a positive integer or Infinity");
    }
    if (!Number.isInteger(skip) || skip < 0) throw new RangeError("skip must be a non-negative integer");
    if ("delayMs" in fault && !(fault.delayMs >= 0)) throw new RangeError("delayMs must be >= 0");
    this.rules.push({ method, dcId: options.dcId ?? null, fault, skipLeft: skip, timesLeft: times });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Consumes the fault (if any) that applies to one call of `method` on DC `dcId`. */
  take(method: string, dcId?: number): Fault | undefined {
    const index = this.rules.findIndex(
      (rule) => rule.method === method && (rule.dcId === null || rule.dcId === dcId),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    if (rule.skipLeft > 0) {
      rule.skipLeft--;
      return undefined;
    }
    rule.timesLeft--;
    if (rule.timesLeft <= 0) this.rules.splice(index, 1);
    return rule.fault;
  }
}
