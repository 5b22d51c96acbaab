/** Unmodified GramJS clients on the sandbox DC over TCP, for the end-to-end tests. */
import assert from "node:assert/strict";
import { Api, TelegramClient } from "telegram";
import { CustomFile } from "telegram/client/uploads.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { returnBigInt } from "telegram/Helpers.js";
import { StringSession } from "telegram/sessions/index.js";
import type { SandboxUser, TestDc } from "../../../src/sandbox/index.js";
import { releaseClient } from "../../../src/telegram/gramjs/release-client.js";
import { within } from "../protocol/support.js";

export const CALL_TIMEOUT_MS = 5_000;

/** GramJS has no per-request timeout: a hang must fail the test instead of stalling it. */
export function withTimeout<T>(promise: Promise<T>, ms = CALL_TIMEOUT_MS): Promise<T> {
  return within(promise, ms, "call");
}

/** `user` as the self account sees it (its access hash). */
export function inputUser(user: Pick<SandboxUser, "id" | "accessHash">): Api.InputUser {
  return new Api.InputUser({ userId: returnBigInt(user.id), accessHash: returnBigInt(user.accessHash) });
}

export function userWithRole(dc: TestDc, role: SandboxUser["role"], index = 0): SandboxUser {
  const found = dc.users.filter((entry) => entry.role === role)[index];
  if (!found) throw new RangeError(`no seeded ${role} #${index}`);
  return found;
}

/** Matches a GramJS RPCError by code and message, for `assert.rejects`. */
export function rpcError(code: number, message: string): (error: unknown) => boolean {
  return (error) => {
    const { code: actualCode, errorMessage } = error as { code?: unknown; errorMessage?: unknown };
    return actualCode === code && errorMessage === message;
  };
}

/** Opens GramJS clients on one DC and releases every one of them in `releaseAll()`. */
export class GramJsSessions {
  private readonly clients: TelegramClient[] = [];

  constructor(private readonly dc: TestDc) {}

  /** A client that is not connected yet (for tests about connecting). */
  create(session: string): TelegramClient {
    const client = new TelegramClient(new StringSession(session), 1, "sandbox", {
      connection: this.dc.connection(),
      floodSleepThreshold: 0,
      connectionRetries: 1,
      baseLogger: new Logger(LogLevel.NONE),
    });
    this.clients.push(client);
    return client;
  }

  async connect(session: string): Promise<TelegramClient> {
    const client = this.create(session);
    assert.equal(await withTimeout(client.connect()), true);
    return client;
  }

  async releaseAll(): Promise<void> {
    const clients = this.clients.splice(0);
    for (const client of clients) await releaseClient(client);
  }
}

/** `client.uploadFile` of in-memory bytes (GramJS picks InputFileBig above 10 MiB). */
export function uploadBytes(
  client: TelegramClient,
  name: string,
  data: Buffer,
  { workers = 1, timeoutMs = CALL_TIMEOUT_MS } = {},
): Promise<Api.TypeInputFile> {
  const file = new CustomFile(name, data.length, "", data);
  return withTimeout(client.uploadFile({ file, workers }), timeoutMs);
}
