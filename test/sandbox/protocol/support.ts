/** Test fixtures for the MTProto layer: a scriptable handler, a DC on an ephemeral port, GramJS clients. */
import { releaseClient } from "../../../src/telegram/gramjs/release-client.js";
import { Api, TelegramClient } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { StringSession } from "telegram/sessions/index.js";
import { deriveAuthKey } from "../../../src/sandbox/client/auth-key.js";
import { loopbackConnection } from "../../../src/sandbox/client/loopback-connection.js";
import { buildSessionString } from "../../../src/sandbox/client/session-string.js";
import { sandboxConfig } from "../../../src/sandbox/methods/help.js";
import { tlVector } from "../../../src/sandbox/methods/tl-values.js";
import { MtprotoServer } from "../../../src/sandbox/protocol/mtproto-server.js";
import type { MtprotoServerOptions } from "../../../src/sandbox/protocol/mtproto-server.js";
import type {
  AuthKeyStore,
  KnownAuthKey,
  NewAuthKey,
  RegisterOutcome,
  RpcCall,
  RpcHandler,
  RpcOutcome,
} from "../../../src/sandbox/protocol/rpc-handler.js";

export const DC_ID = 2;

export function knownKey(seed: string, userId: string | null): KnownAuthKey {
  return { ...deriveAuthKey(seed), userId };
}

export class MapAuthKeyStore implements AuthKeyStore {
  private readonly keys = new Map<string, KnownAuthKey>();
  constructor(keys: KnownAuthKey[]) {
    for (const key of keys) this.keys.set(key.authKeyId, key);
  }
  lookup(authKeyId: string): KnownAuthKey | undefined {
    return this.keys.get(authKeyId);
  }
  register(key: NewAuthKey): RegisterOutcome {
    if (this.keys.has(key.authKeyId)) return "exists";
    this.keys.set(key.authKeyId, { ...key, userId: null });
    return "registered";
  }
}

export function configFor(port: number): Api.Config {
  return sandboxConfig(DC_ID, [{ id: DC_ID, host: "127.0.0.1", port }], Math.floor(Date.now() / 1000));
}

export function selfUser(id: string): Api.User {
  return new Api.User({
    id: returnBigInt(id),
    self: true,
    firstName: "Sandbox",
    accessHash: returnBigInt(1),
  });
}

/** Routes calls by request class name; unrouted methods get 400 METHOD_NOT_SCRIPTED. Records every call. */
export class ScriptedHandler implements RpcHandler {
  readonly calls: RpcCall[] = [];
  private readonly routes = new Map<string, (call: RpcCall) => Promise<RpcOutcome> | RpcOutcome>();
  port = 0;

  constructor() {
    this.on("help.GetConfig", () => ({ kind: "result", value: configFor(this.port) }));
    this.on("help.GetNearestDc", () => ({
      kind: "result",
      value: new Api.NearestDc({ country: "ZZ", thisDc: DC_ID, nearestDc: DC_ID }),
    }));
    this.on("users.GetUsers", (call) => ({
      kind: "result",
      value: tlVector([selfUser(call.authKey.userId ?? "0")]),
    }));
  }

  on(className: string, route: (call: RpcCall) => Promise<RpcOutcome> | RpcOutcome): this {
    this.routes.set(className, route);
    return this;
  }

  async handle(call: RpcCall): Promise<RpcOutcome> {
    this.calls.push(call);
    const route = this.routes.get(call.request.className);
    if (!route) return { kind: "error", code: 400, message: "METHOD_NOT_SCRIPTED" };
    return route(call);
  }

  callsOf(className: string): RpcCall[] {
    return this.calls.filter((call) => call.request.className === className);
  }
}

export interface TestDc {
  server: MtprotoServer;
  handler: ScriptedHandler;
  port: number;
  events: { event: string; detail?: Record<string, unknown> }[];
}

export async function startDc(
  keys: KnownAuthKey[],
  extra: Partial<MtprotoServerOptions> = {},
): Promise<TestDc> {
  const handler = new ScriptedHandler();
  const events: TestDc["events"] = [];
  const server = new MtprotoServer({
    authKeys: new MapAuthKeyStore(keys),
    handler,
    log: (event, detail) => events.push({ event, detail }),
    ...extra,
  });
  const { port } = await server.listen();
  handler.port = port;
  return { server, handler, port, events };
}

export function makeClient(port: number, key: KnownAuthKey | Omit<KnownAuthKey, "userId">): TelegramClient {
  const session = new StringSession(
    buildSessionString({ dcId: DC_ID, host: "127.0.0.1", port, authKey: key.authKey }),
  );
  return new TelegramClient(session, 1, "sandbox", {
    connection: loopbackConnection(port),
    connectionRetries: 2,
    retryDelay: 50,
    floodSleepThreshold: 0,
    autoReconnect: true,
    baseLogger: new Logger(LogLevel.NONE),
  });
}

/** Rejects when `promise` does not settle within `ms`, so a hang fails the test instead of stalling it. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out: it did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `client.destroy()` plus what GramJS 2.26 forgets (see the adapter's `releaseClient`). */
export const destroyClient: (client: TelegramClient) => Promise<void> = releaseClient;
