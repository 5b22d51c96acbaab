import { readFile } from "node:fs/promises";
import {
  MalformedPublicKeyError,
  parseServerPublicKey,
  PUBLIC_KEY_FORMAT,
  type ServerPublicKey,
} from "../telegram/server-public-key.js";
import { LoginUsageError } from "./login-args.js";

/**
 * `--public-key` / TELEGRAM_PUBLIC_KEY: the PEM itself, or the path of a file holding it (a PEM
 * is awkward to pass as an argument). Refused with a message naming the variable.
 */
export async function readPublicKeyArgument(value: string | null): Promise<ServerPublicKey | null> {
  if (value === null) return null;
  let text = value;
  if (!value.includes("-----BEGIN")) {
    try {
      text = await readFile(value, "utf8");
    } catch {
      throw new LoginUsageError(
        `TELEGRAM_PUBLIC_KEY (--public-key) is neither a PEM key nor a readable file. It must be ${PUBLIC_KEY_FORMAT}.`,
      );
    }
  }
  try {
    return parseServerPublicKey(text);
  } catch (error) {
    if (!(error instanceof MalformedPublicKeyError)) throw error;
    throw new LoginUsageError(
      `TELEGRAM_PUBLIC_KEY (--public-key) is malformed (${error.message}). It must be ${PUBLIC_KEY_FORMAT}.`,
    );
  }
}
