/**
 * The seam between the sandbox DC's MTProto layer (transport, crypto, sessions, service messages)
 * and its Telegram API layer (world state, methods, journal, faults).
 *
 * The MTProto layer decrypts a message, unwraps `invokeWithLayer`, `initConnection`,
 * `invokeWithoutUpdates` (and similar wrappers), and hands the innermost request here. It answers
 * with whatever the handler decides, and handles each call concurrently so a call that never
 * answers does not block the connection.
 */
import type { Api } from "telegram";

/** An auth key the DC knows, and the account it is signed in as. */
export interface KnownAuthKey {
  /** auth_key_id: lower 64 bits of SHA1(auth_key), as an unsigned decimal string. */
  authKeyId: string;
  /** The 256-byte auth key. */
  authKey: Buffer;
  /** The signed-in user's id; `null` for a key the DC knows but that is not signed in (-> 401 AUTH_KEY_UNREGISTERED). */
  userId: string | null;
  /**
   * The server salt a key made by the key exchange starts with (substr(new_nonce, 0, 8) XOR
   * substr(server_nonce, 0, 8)): a new session of the key accepts it. Preset keys have none, so
   * their clients learn a salt through bad_server_salt.
   */
  initialSalt?: bigint;
  /** For a temporary key (`p_q_inner_data_temp*`): when it stops existing, in ms since the epoch. */
  expiresAt?: number;
}

/** A key the exchange just created, before the DC accepts it. */
export interface NewAuthKey {
  authKeyId: string;
  authKey: Buffer;
  initialSalt: bigint;
  /** Set for temporary keys. */
  expiresAt?: number;
}

/** `exists`: the auth_key_id is taken (the client must retry with another g_b); `full`: no room for another key. */
export type RegisterOutcome = "registered" | "exists" | "full";

export interface AuthKeyStore {
  lookup(authKeyId: string): KnownAuthKey | undefined;
  /** Adds a key made by the auth key exchange, signed out (userId null). */
  register(key: NewAuthKey): RegisterOutcome;
}

export interface RpcCall {
  /** The auth key (and so the account) the call came in on. */
  authKey: KnownAuthKey;
  /** Unique per TCP connection for the DC's lifetime. */
  connectionId: number;
  /** MTProto session id, unsigned decimal. */
  sessionId: string;
  /** The client's msg_id, unsigned decimal. */
  msgId: string;
  /** Layer from `invokeWithLayer`, when the call was wrapped in one. */
  layer: number | null;
  /** The layer the client declared with `invokeWithLayer`, in this call or earlier on its session or key. */
  clientLayer: number | null;
  /** The shipped TL layer the DC reads and answers this client in (see tl/tl-layers.ts). */
  servedLayer: number;
  /** The innermost request, decoded by GramJS's own TL reader (the pivot layer). */
  request: Api.AnyRequest;
  /** The innermost request's TL bytes in the pivot layer (what an independent decoder should read). */
  requestBytes: Buffer;
}

export type RpcOutcome =
  /** Answer with `rpc_result` holding this TL object (pivot layer: a GramJS `Api` instance); re-written in the client's layer. */
  | { kind: "result"; value: { getBytes(): Buffer } }
  /** Answer with `rpc_result` holding `rpc_error`. */
  | { kind: "error"; code: number; message: string }
  /** Close the TCP connection without answering. */
  | { kind: "drop" }
  /** Never answer (the call stays pending until the client gives up or the connection closes). */
  | { kind: "silent" };

export interface RpcHandler {
  handle(call: RpcCall): Promise<RpcOutcome>;
}
