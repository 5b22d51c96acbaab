/**
 * One DC's Telegram API layer behind the MTProto seam: every call is journalled (decoded by
 * @mtcute/tl, with the DC that answered), may be hit by an injected fault, and is otherwise
 * answered from the world the cluster's DCs share.
 */
import type { RpcCall, RpcHandler, RpcOutcome } from "../protocol/rpc-handler.js";
import type { ScriptedFaultInjector } from "../faults/fault-injector.js";
import type { NewJournalEntry, RingCallJournal } from "../journal/call-journal.js";
import { toJsonFriendly } from "../journal/json-friendly.js";
import { decodeRequest } from "../journal/tl-request-decoder.js";
import type { Api } from "telegram";
import type { AuthKeyBindings } from "../world/auth-keys.js";
import { RpcFailure } from "../world/rpc-failure.js";
import type { SandboxWorld } from "../world/world.js";
import type { DcAddress } from "./context.js";
import { SANDBOX_METHODS } from "./registry.js";

export interface TelegramApiHandlerOptions {
  world: SandboxWorld;
  journal: RingCallJournal;
  faults: ScriptedFaultInjector;
  /** The DC this handler answers for. @default the world's `dcId` (2) */
  dcId?: number;
  /** Where clients reach the DC; read per call because the port is known only after listen(). */
  endpoint: () => { host: string; port: number };
  /** Every DC of the cluster, for help.getConfig. @default this DC alone, at `endpoint()` */
  dcs?: () => readonly DcAddress[];
  /** This DC's store, the one its MTProto layer looks keys up in: logins re-bind keys there. */
  authKeys: AuthKeyBindings;
  /** Delivers updates to the open sessions of an auth key (the MTProto server's job). */
  pushUpdates: (authKeyId: string, updates: Api.TypeUpdates) => void;
}

/** Answer for methods the sandbox does not implement (Telegram's answer for unknown methods). */
const UNSUPPORTED_METHOD_ERROR = { code: 400, message: "INPUT_METHOD_INVALID" } as const;

export class TelegramApiHandler implements RpcHandler {
  readonly dcId: number;
  private readonly closing = new AbortController();

  constructor(private readonly options: TelegramApiHandlerOptions) {
    this.dcId = options.dcId ?? options.world.dcId;
  }

  async handle(call: RpcCall): Promise<RpcOutcome> {
    const arrivedAt = Date.now();
    const { method, params } = describe(call);
    for (const secret of SANDBOX_METHODS.get(method)?.secretParams ?? []) {
      if (secret in params) params[secret] = "[redacted]";
    }
    const detail: Record<string, unknown> = {};
    const fault = this.options.faults.take(method, this.dcId);
    let outcome: RpcOutcome;
    if (fault && "rpcError" in fault) {
      outcome = { kind: "error", code: fault.rpcError.code, message: fault.rpcError.message };
    } else if (fault && "silent" in fault) {
      outcome = { kind: "silent" };
    } else if (fault && "drop" in fault) {
      outcome = { kind: "drop" };
    } else {
      if (fault) await this.delay(fault.delayMs);
      outcome = this.closing.signal.aborted ? { kind: "drop" } : await this.answer(method, call, detail);
    }
    this.options.journal.record(journalEntry(call, this.dcId, arrivedAt, method, params, outcome, detail));
    return outcome;
  }

  /** Ends pending `delayMs` faults at once (their calls are dropped) so the DC can shut down. */
  close(): void {
    this.closing.abort();
  }

  private async answer(method: string, call: RpcCall, detail: Record<string, unknown>): Promise<RpcOutcome> {
    const definition = SANDBOX_METHODS.get(method);
    const { world } = this.options;
    const viewerId = call.authKey.userId;
    const homeDcId = viewerId === null ? undefined : world.homeDcOf(viewerId);
    if (homeDcId === undefined && definition?.allowUnregistered !== true) {
      // A key halfway through a 2FA login hears what it still owes, as Telegram answers it.
      const owesPassword = this.options.world.login.awaitingPasswordFor(call.authKey.authKeyId) !== undefined;
      return {
        kind: "error",
        code: 401,
        message: owesPassword ? "SESSION_PASSWORD_NEEDED" : "AUTH_KEY_UNREGISTERED",
      };
    }
    if (!definition || !(call.request instanceof definition.requestClass)) {
      return { kind: "error", ...UNSUPPORTED_METHOD_ERROR };
    }
    if (homeDcId !== undefined && homeDcId !== this.dcId && definition.dcScope !== "any") {
      return { kind: "error", code: 303, message: `USER_MIGRATE_${homeDcId}` };
    }
    const endpoint = this.options.endpoint();
    try {
      const value = await definition.run(call.request, {
        world,
        dcId: this.dcId,
        viewerId: homeDcId === undefined ? "" : (viewerId ?? ""),
        authKeyId: call.authKey.authKeyId,
        authKeys: this.options.authKeys,
        call: { msgId: call.msgId, sessionId: call.sessionId },
        endpoint,
        dcs: this.options.dcs?.() ?? [{ id: this.dcId, ...endpoint }],
        pushUpdates: this.options.pushUpdates,
        note: (more) => Object.assign(detail, more),
      });
      return { kind: "result", value };
    } catch (error) {
      if (error instanceof RpcFailure)
        return { kind: "error", code: error.code, message: error.errorMessage };
      return { kind: "error", code: 500, message: "INTERNAL" };
    }
  }

  private delay(ms: number): Promise<void> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
    });
  }
}

/** TL name and JSON-friendly params from mtcute; GramJS's class name only if mtcute cannot read the bytes. */
function describe(call: RpcCall): { method: string; params: Record<string, unknown> } {
  try {
    const decoded = decodeRequest(call.requestBytes);
    return { method: decoded._, params: toJsonFriendly(decoded) as Record<string, unknown> };
  } catch (error) {
    const method = tlNameOfGramJsClass(call.request.className);
    return {
      method,
      params: { _: method, decodeError: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** "photos.UploadContactProfilePhoto" -> "photos.uploadContactProfilePhoto". */
function tlNameOfGramJsClass(className: string): string {
  const dot = className.lastIndexOf(".");
  const head = className.slice(0, dot + 1);
  const tail = className.slice(dot + 1);
  return head + tail.charAt(0).toLowerCase() + tail.slice(1);
}

function journalEntry(
  call: RpcCall,
  dcId: number,
  at: number,
  method: string,
  params: Record<string, unknown>,
  outcome: RpcOutcome,
  detail: Record<string, unknown>,
): NewJournalEntry {
  const entry: NewJournalEntry = {
    dcId,
    at,
    connectionId: call.connectionId,
    sessionId: call.sessionId,
    userId: call.authKey.userId,
    layer: call.clientLayer,
    servedLayer: call.servedLayer,
    method,
    params,
    bytes: call.requestBytes.length,
    outcome: outcome.kind,
  };
  if (outcome.kind === "error") entry.error = { code: outcome.code, message: outcome.message };
  if (Object.keys(detail).length > 0) entry.detail = detail;
  return entry;
}
