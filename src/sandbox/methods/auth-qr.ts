/**
 * QR login (https://core.telegram.org/api/qr-login): auth.exportLoginToken on the signed-out
 * device, auth.acceptLoginToken on a signed-in one (which pushes `updateLoginToken` to the first),
 * then auth.exportLoginToken again (or auth.importLoginToken on the account's DC) collects it.
 */
import { randomBytes } from "node:crypto";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import type { LoginToken } from "../world/login-tokens.js";
import { badRequest } from "../world/rpc-failure.js";
import { defineMethod, type MethodContext } from "./context.js";
import { accountHomeDc, answeringDcId } from "./home-dc.js";
import { requirePassword, signInKey } from "./signed-in.js";

/** Logs the key in as the account that accepted `token`, or sends it to the account's DC. */
function collect(context: MethodContext, token: LoginToken, userId: string): Api.auth.TypeLoginToken {
  const account = context.world.user(userId);
  if (!account) throw badRequest("AUTH_TOKEN_INVALID");
  const home = accountHomeDc(context.world, account);
  if (home !== answeringDcId(context)) {
    context.note({ loginTokenMigrateTo: home });
    return new Api.auth.LoginTokenMigrateTo({ dcId: home, token: token.token });
  }
  context.world.login.tokens.forgetKey(token.authKeyId);
  requirePassword(context, userId);
  return new Api.auth.LoginTokenSuccess({ authorization: signInKey(context, userId, "qr") });
}

function acceptable(context: MethodContext, raw: Buffer): LoginToken {
  const token = context.world.login.tokens.find(raw);
  if (token === "expired") throw badRequest("AUTH_TOKEN_EXPIRED");
  if (!token) throw badRequest("AUTH_TOKEN_INVALID");
  return token;
}

export const exportLoginToken = defineMethod({
  name: "auth.exportLoginToken",
  requestClass: Api.auth.ExportLoginToken,
  allowUnregistered: true,
  run: (request, context) => {
    const { tokens } = context.world.login;
    const accepted = tokens.acceptedFor(context.authKeyId);
    if (accepted?.acceptedBy) return collect(context, accepted, accepted.acceptedBy);
    const token = tokens.export(context.authKeyId, request.apiId);
    context.note({ loginTokenExpires: Math.floor(token.expiresAt / 1000) });
    return new Api.auth.LoginToken({ expires: Math.floor(token.expiresAt / 1000), token: token.token });
  },
});

export const importLoginToken = defineMethod({
  name: "auth.importLoginToken",
  requestClass: Api.auth.ImportLoginToken,
  // The token signs an account in: its bytes stay out of the journal.
  secretParams: ["token"],
  allowUnregistered: true,
  run: (request, context) => {
    const token = acceptable(context, request.token);
    if (!token.acceptedBy) throw badRequest("AUTH_TOKEN_INVALID");
    return collect(context, token, token.acceptedBy);
  },
});

export const acceptLoginToken = defineMethod({
  name: "auth.acceptLoginToken",
  requestClass: Api.auth.AcceptLoginToken,
  // The token signs an account in: its bytes stay out of the journal.
  secretParams: ["token"],
  run: (request, context) => {
    const token = acceptable(context, request.token);
    if (token.acceptedBy) throw badRequest("AUTH_TOKEN_ALREADY_ACCEPTED");
    token.acceptedBy = context.viewerId;
    const now = context.world.unixNow();
    context.pushUpdates(
      token.authKeyId,
      new Api.UpdateShort({ update: new Api.UpdateLoginToken(), date: now }),
    );
    context.note({ acceptedBy: context.viewerId });
    // The new session as the accepting device's session list shows it.
    return new Api.Authorization({
      hash: returnBigInt(randomBytes(8).readBigInt64LE(0).toString()),
      deviceModel: "Sandbox device",
      platform: "sandbox",
      systemVersion: "1.0",
      apiId: token.apiId,
      appName: "sandbox",
      appVersion: "1.0",
      dateCreated: now,
      dateActive: now,
      ip: "127.0.0.1",
      country: "ZZ",
      region: "",
    });
  },
});
