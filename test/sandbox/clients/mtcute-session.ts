/**
 * Stock mtcute (`@mtcute/node`, its own TL layer) on the sandbox DC: a client signed in with a
 * seeded account's auth key, and everything it logs, so a test can assert it never complained.
 */
import { MemoryStorage, TelegramClient } from "@mtcute/node";
import { deriveAuthKey } from "../../../src/sandbox/client/auth-key.js";
import type { TestDc } from "../../../src/sandbox/index.js";
import { UNREGISTERED_AUTH_KEY_SEED } from "../../../src/sandbox/world/seed.js";

export interface MtcuteLogLine {
  /** mtcute's levels: 1 error, 2 warn, 3 info, 4 debug, 5 verbose. */
  level: number;
  tag: string;
  text: string;
}

const WARN = 2;
/**
 * What mtcute logs, at whatever level, when the DC did not behave as Telegram does: an object it
 * cannot read, a bad_msg_notification, a session reset (which re-sends pending calls) or a
 * reconnect. Its warnings and errors count too.
 */
const COMPLAINT = /unknown object|bad_msg_notification|bad msg|session reset|reconnecting/i;

export class MtcuteSession {
  readonly log: MtcuteLogLine[] = [];

  private constructor(readonly client: TelegramClient) {}

  /** A client on the DC's signed-out key (`dc.unregisteredSession`), ready to log in. */
  static openSignedOut(dc: TestDc): Promise<MtcuteSession> {
    return MtcuteSession.openWithKey(dc, UNREGISTERED_AUTH_KEY_SEED, null);
  }

  /** A client for `userId` on `dc` (nothing is sent before the first call). */
  static open(dc: TestDc, userId: string): Promise<MtcuteSession> {
    return MtcuteSession.openWithKey(dc, `sandbox:user:${userId}`, userId);
  }

  private static async openWithKey(
    dc: TestDc,
    keySeed: string,
    userId: string | null,
  ): Promise<MtcuteSession> {
    const client = new TelegramClient({
      apiId: 1,
      apiHash: "sandbox",
      storage: new MemoryStorage(),
      updates: false,
      logLevel: 5,
    });
    const session = new MtcuteSession(client);
    client.log.mgr.handler = (_color, level, tag, fmt, args) => {
      session.log.push({ level, tag, text: `${fmt} ${args.map(describe).join(" ")}` });
    };
    const dcOption = { id: dc.dcId, ipAddress: dc.host, port: dc.port };
    await client.importSession({
      authKey: deriveAuthKey(keySeed).authKey,
      primaryDcs: { main: dcOption, media: dcOption },
      self:
        userId === null ? null : { userId: Number(userId), isBot: false, isPremium: false, usernames: [] },
    });
    return session;
  }

  /** Warnings, errors, and any line about unknown objects, bad messages or reconnecting. */
  complaints(): string[] {
    return this.log
      .filter((line) => line.level <= WARN || COMPLAINT.test(line.text))
      .map((line) => `[${line.level} ${line.tag}] ${line.text}`);
  }

  close(): Promise<void> {
    return this.client.destroy();
  }
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  try {
    return JSON.stringify(value, (_key, field: unknown) =>
      typeof field === "bigint" ? field.toString() : field,
    ).slice(0, 300);
  } catch {
    return String(value);
  }
}
