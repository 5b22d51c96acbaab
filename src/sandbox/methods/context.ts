import type { Api } from "telegram";
import type { SandboxWorld } from "../world/world.js";

/** What a method implementation sees of the DC and the caller. */
export interface MethodContext {
  world: SandboxWorld;
  /** The signed-in account making the call. */
  viewerId: string;
  /** Where clients reach this DC (advertised by help.getConfig). */
  endpoint: { host: string; port: number };
}

/** Anything GramJS can serialise as an `rpc_result` body. */
export interface TlValue {
  getBytes(): Buffer;
}

export interface MethodDefinition<R extends Api.AnyRequest = Api.AnyRequest> {
  /** TL name, e.g. "photos.uploadContactProfilePhoto". */
  name: string;
  /** GramJS request class; the call's request must be an instance of it. */
  requestClass: abstract new (...args: never[]) => R;
  /** Whether a signed-out key may call it (help.getConfig and the like). */
  allowUnregistered?: boolean;
  run(request: R, context: MethodContext): TlValue | Promise<TlValue>;
}

/** Keeps the request type of one definition while letting a list hold all of them. */
export function defineMethod<R extends Api.AnyRequest>(definition: MethodDefinition<R>): MethodDefinition {
  return definition as unknown as MethodDefinition;
}
