/**
 * auth.exportAuthorization / auth.importAuthorization: how a client signed in on its home DC gets
 * the same account on a key it made on another DC (to download a file that lives there, or to
 * upload there). GramJS's exported senders and mtcute's per-DC connections both do exactly this.
 */
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { badRequest } from "../world/rpc-failure.js";
import { defineMethod } from "./context.js";
import { toApiUser } from "./to-api.js";

/**
 * Runs on the account's home DC (elsewhere USER_MIGRATE, like other account methods). A DC the
 * cluster does not run, or the answering DC itself, is 400 DC_ID_INVALID, as Telegram answers.
 */
export const exportAuthorization = defineMethod({
  name: "auth.exportAuthorization",
  requestClass: Api.auth.ExportAuthorization,
  run: (request, { world, dcId, viewerId }) => {
    if (request.dcId === dcId || !world.dcIds.includes(request.dcId)) throw badRequest("DC_ID_INVALID");
    const exported = world.exportedAuthorizations.export(viewerId, request.dcId);
    return new Api.auth.ExportedAuthorization({ id: returnBigInt(exported.id), bytes: exported.bytes });
  },
});

/**
 * Signs the calling key in on this DC as the account that exported the token (for this DC).
 * Called on a key that is not signed in yet; a token that is unknown, already used, expired, for
 * another DC or with other bytes is 400 AUTH_BYTES_INVALID.
 */
export const importAuthorization = defineMethod({
  name: "auth.importAuthorization",
  requestClass: Api.auth.ImportAuthorization,
  allowUnregistered: true,
  dcScope: "any",
  run: (request, { world, dcId, authKeyId, authKeys, note }) => {
    const userId = world.exportedAuthorizations.redeem(request.id.toString(), request.bytes, dcId);
    const user = userId === null ? undefined : world.user(userId);
    if (userId === null || user === undefined) throw badRequest("AUTH_BYTES_INVALID");
    authKeys.bindUser(authKeyId, userId);
    note({ signedIn: userId, via: "importAuthorization" });
    return new Api.auth.Authorization({ user: toApiUser(world, userId, user) });
  },
});
