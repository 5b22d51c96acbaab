/** The environment the configuration is read from: `process.env` or a test's own record. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The longest delay a Node timer honours. */
const MAX_TIMER_MS = 2_147_483_647;

export interface IntRule {
  min: number;
  max?: number;
}

/**
 * Reads variables by rule and collects every bad value in `problems` instead of stopping at the
 * first, so an operator fixes them all in one go; a bad value reads as its fallback meanwhile.
 */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  int(name: string, fallback: number, rule: IntRule): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < rule.min || value > max) {
      const range = rule.max === undefined ? `>= ${rule.min}` : `between ${rule.min} and ${rule.max}`;
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an integer ${range}`);
      return fallback;
    }
    return value;
  }

  /** A duration in ms that a Node timer waits: at most 2^31 - 1, since Node fires a longer one after 1 ms. */
  ms(name: string, fallback: number, rule: IntRule): number {
    return this.int(name, fallback, { ...rule, max: Math.min(rule.max ?? MAX_TIMER_MS, MAX_TIMER_MS) });
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const match = allowed.find((value) => value === raw.toLowerCase());
    if (match === undefined) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(", ")}`);
      return fallback;
    }
    return match;
  }

  list(name: string): string[] | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    return raw
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  }
}

/** Thrown by `loadConfig`; `problems` lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}
