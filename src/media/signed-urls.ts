/**
 * Short-lived signed media URLs, for `<img>` and `<video>` tags that cannot send a bearer token:
 * `?expires=<unix seconds>&signature=<base64url HMAC-SHA256 of "<path>\n<expires>">`.
 * Expiry is rounded up to the next period boundary plus one period, so every URL handed out within
 * one period is identical (browsers cache it) and stays valid for one to two periods.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface MediaUrlSigner {
  /** `path` with `expires` and `signature` appended. */
  sign(path: string): string;
  /** True when the query carries a signature of `path` that has not expired. */
  verify(path: string, query: { expires?: unknown; signature?: unknown }): boolean;
}

export interface MediaUrlSignerOptions {
  secret: string;
  ttlSeconds: number;
  /** Unix milliseconds. @default Date.now */
  now?: () => number;
}

export function createMediaUrlSigner(options: MediaUrlSignerOptions): MediaUrlSigner {
  const now = options.now ?? Date.now;
  const mac = (path: string, expires: number): Buffer =>
    createHmac("sha256", options.secret).update(`${path}\n${expires}`).digest();

  return {
    sign(path) {
      const nowSeconds = Math.floor(now() / 1000);
      const period = options.ttlSeconds;
      const expires = (Math.floor(nowSeconds / period) + 2) * period;
      return `${path}?expires=${expires}&signature=${mac(path, expires).toString("base64url")}`;
    },
    verify(path, query) {
      if (typeof query.expires !== "string" || typeof query.signature !== "string") return false;
      if (!/^[0-9]{1,12}$/.test(query.expires)) return false;
      const expires = Number(query.expires);
      if (expires * 1000 <= now()) return false;
      const given = Buffer.from(query.signature, "base64url");
      const expected = mac(path, expires);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
