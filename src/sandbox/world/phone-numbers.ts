/**
 * Phone numbers as the login methods read them, and Telegram's test-number rule: on Telegram's
 * test servers `99966XYYYY` (X = a DC id, YYYY any digits) lives on DC X and its login code is
 * always X repeated five times, so no SMS is ever needed.
 */
import { randomInt } from "node:crypto";

/** Login codes are five digits, as Telegram's. */
export const LOGIN_CODE_LENGTH = 5;

const TEST_NUMBER = /^99966([1-5])\d{4}$/;
/** E.164 allows at most 15 digits; Telegram's shortest real numbers have 5 or more. */
const PHONE_DIGITS = /^\d{5,15}$/;

/** Digits only (clients send "+", spaces, dashes, brackets), or `null` when it is no phone number. */
export function normalizePhone(raw: string): string | null {
  const digits = raw
    .trim()
    .replace(/^\+/, "")
    .replace(/[\s\-()]/g, "");
  return PHONE_DIGITS.test(digits) ? digits : null;
}

/** The DC a test number `99966XYYYY` belongs to, or `null` for any other number. */
export function testNumberDc(phone: string): number | null {
  const match = TEST_NUMBER.exec(phone);
  return match ? Number(match[1]) : null;
}

/** The code a login to `phone` gets: the DC digit five times for test numbers, else random. */
export function loginCodeFor(phone: string): string {
  const dc = testNumberDc(phone);
  if (dc !== null) return String(dc).repeat(LOGIN_CODE_LENGTH);
  return String(randomInt(0, 10 ** LOGIN_CODE_LENGTH)).padStart(LOGIN_CODE_LENGTH, "0");
}
