import type { Api } from "telegram";
import type { AuthKeyBindings } from "../world/auth-keys.js";
import type { SandboxWorld } from "../world/world.js";

/** Where clients reach one DC of the cluster. */
export interface DcAddress {
  id: number;
  host: string;
  port: number;
}

/** What a method implementation sees of the DC and the caller. */
export interface MethodContext {
  world: SandboxWorld;
  /** The DC answering the call (anything that depends on "where" reads this, never a constant). */
  dcId: number;
  /** The signed-in account making the call ("" for a signed-out key on a login method). */
  viewerId: string;
  /** The auth key the call came in on (login methods bind it to an account). */
  authKeyId: string;
  /** The keys of the answering DC (a key belongs to the DC that holds it). */
  authKeys: AuthKeyBindings;
  /** The call's own msg_id and session id (unsigned decimal), which auth.bindTempAuthKey's proof names. */
  call: { msgId: string; sessionId: string };
  /** Where clients reach this DC. */
  endpoint: { host: string; port: number };
  /** Every DC of the cluster, this one included, ascending by id (help.getConfig's `dc_options`). */
  dcs: readonly DcAddress[];
  /** Sends `updates` to the open sessions of `authKeyId`, as Telegram pushes updates. */
  pushUpdates(authKeyId: string, updates: Api.TypeUpdates): void;
  /** Adds what the call did to its journal entry (`detail`). Never secrets. */
  note(detail: Record<string, unknown>): void;
}

/** Anything GramJS can serialise as an `rpc_result` body. */
export interface TlValue {
  getBytes(): Buffer;
}

/**
 * Where a signed-in account may call a method. Telegram serves an account's requests on its home
 * DC and answers most methods elsewhere with 303 USER_MIGRATE_<home>; file transfer (and the
 * DC-neutral help.* calls) works on any DC once the key there is signed in with
 * `auth.importAuthorization`, which is what clients export authorizations for.
 */
export type MethodDcScope = "home" | "any";

export interface MethodDefinition<R extends Api.AnyRequest = Api.AnyRequest> {
  /** TL name, e.g. "photos.uploadContactProfilePhoto". */
  name: string;
  /** GramJS request class; the call's request must be an instance of it. */
  requestClass: abstract new (...args: never[]) => R;
  /** Whether a signed-out key may call it (help.getConfig and the like). */
  allowUnregistered?: boolean;
  /** Top-level params the journal shows as "[redacted]" (secrets such as a password check). */
  secretParams?: readonly string[];
  /** @default "home" */
  dcScope?: MethodDcScope;
  run(request: R, context: MethodContext): TlValue | Promise<TlValue>;
}

/** Keeps the request type of one definition while letting a list hold all of them. */
export function defineMethod<R extends Api.AnyRequest>(definition: MethodDefinition<R>): MethodDefinition {
  return definition as unknown as MethodDefinition;
}
