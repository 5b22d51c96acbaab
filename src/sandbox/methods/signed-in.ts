/** The end of every successful login: the calling key becomes the account, as a seeded key is. */
import { Api } from "telegram";
import { RpcFailure } from "../world/rpc-failure.js";
import type { MethodContext } from "./context.js";
import { toApiUser } from "./to-api.js";

export function signInKey(context: MethodContext, userId: string, via: string): Api.auth.Authorization {
  const account = context.world.user(userId);
  if (!account) throw new RpcFailure(500, "INTERNAL");
  context.authKeys.bindUser(context.authKeyId, userId);
  context.world.login.settle(context.authKeyId);
  context.note({ signedIn: userId, via });
  return new Api.auth.Authorization({ user: toApiUser(context.world, userId, account) });
}

/** A 2FA account: the key owes auth.checkPassword before it is signed in (401, as Telegram). */
export function requirePassword(context: MethodContext, userId: string): void {
  if (!context.world.login.passwords.of(userId)) return;
  context.world.login.awaitPassword(context.authKeyId, userId);
  context.note({ passwordNeeded: userId });
  throw new RpcFailure(401, "SESSION_PASSWORD_NEEDED");
}
