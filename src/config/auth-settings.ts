import type { EnvReader } from "./env-reader.js";

export type AuthSetting = "on" | "off";

export interface AuthConfig {
  /**
   * Env `GATEWAY_AUTH` (`on`/`bearer` | `off`), kept as given: unset is not the same as `off`.
   * Unset: tokens are required when GATEWAY_TOKENS is set or when connected to real Telegram
   * (the gateway refuses to start without them); the sandbox runs open with a warning.
   * The policy itself is decided by `resolveAuthPolicy` in src/ops/auth.ts.
   * @default null
   */
  setting: AuthSetting | null;
  /**
   * Accepted bearer tokens. Env `GATEWAY_TOKENS`, comma-separated.
   * @default []
   */
  tokens: string[];
}

export function readAuth(reader: EnvReader): AuthConfig {
  const tokens = reader.list("GATEWAY_TOKENS") ?? [];
  const raw = reader.raw("GATEWAY_AUTH");
  const setting =
    raw === undefined
      ? null
      : reader.oneOf<AuthSetting | "bearer">("GATEWAY_AUTH", ["on", "bearer", "off"], "on");
  const normalised: AuthSetting | null = setting === "bearer" ? "on" : setting;
  if (normalised === "on" && tokens.length === 0) {
    reader.problems.push("GATEWAY_AUTH=on needs at least one token in GATEWAY_TOKENS");
  }
  return { setting: normalised, tokens };
}
