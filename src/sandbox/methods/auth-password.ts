/**
 * 2FA (https://core.telegram.org/api/srp): account.getPassword hands out the SRP parameters and a
 * one-time (srp_id, B); auth.checkPassword verifies the client's M1 and finishes the login that
 * auth.signIn or a QR token left at SESSION_PASSWORD_NEEDED.
 */
import { randomBytes } from "node:crypto";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { SRP_G, SRP_PRIME } from "../crypto/srp.js";
import { RpcFailure, badRequest } from "../world/rpc-failure.js";
import { defineMethod, type MethodContext } from "./context.js";
import { signInKey } from "./signed-in.js";

/** Telegram adds 32 client bytes to its 8-byte salt1 when a password is set. */
const NEW_SALT1_BYTES = 8;
const SALT2_BYTES = 16;
const SECURE_SALT_BYTES = 8;
const SECURE_RANDOM_BYTES = 32;

/** The account the key acts for here: its signed-in account, else the one whose password it owes. */
function passwordAccount(context: MethodContext): string {
  if (context.viewerId !== "") return context.viewerId;
  const awaiting = context.world.login.awaitingPasswordFor(context.authKeyId);
  if (awaiting === undefined) throw new RpcFailure(401, "AUTH_KEY_UNREGISTERED");
  return awaiting;
}

function srpAlgo(
  salt1: Buffer,
  salt2: Buffer,
): Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow {
  return new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
    salt1,
    salt2,
    g: SRP_G,
    p: SRP_PRIME,
  });
}

export const getPassword = defineMethod({
  name: "account.getPassword",
  requestClass: Api.account.GetPassword,
  allowUnregistered: true,
  run: async (_request, context) => {
    const userId = passwordAccount(context);
    // What a client would use to set a new password (this sandbox does not change passwords).
    const forNewPassword = {
      newAlgo: srpAlgo(randomBytes(NEW_SALT1_BYTES), randomBytes(SALT2_BYTES)),
      newSecureAlgo: new Api.SecurePasswordKdfAlgoPBKDF2HMACSHA512iter100000({
        salt: randomBytes(SECURE_SALT_BYTES),
      }),
      secureRandom: randomBytes(SECURE_RANDOM_BYTES),
    };
    const record = context.world.login.passwords.of(userId);
    const challenge = await context.world.login.passwords.challenge(userId, context.authKeyId);
    if (!record || !challenge) return new Api.account.Password({ hasPassword: false, ...forNewPassword });
    context.note({ userId, hasPassword: true });
    return new Api.account.Password({
      hasPassword: true,
      currentAlgo: srpAlgo(record.salt1, record.salt2),
      srp_B: challenge.B,
      srpId: returnBigInt(challenge.srpId),
      hint: record.hint,
      ...forNewPassword,
    });
  },
});

export const checkPassword = defineMethod({
  name: "auth.checkPassword",
  requestClass: Api.auth.CheckPassword,
  allowUnregistered: true,
  // srp_id, A and M1: SRP values stay out of the journal.
  secretParams: ["password"],
  run: async (request, context) => {
    const userId = passwordAccount(context);
    const input = request.password;
    if (!(input instanceof Api.InputCheckPasswordSRP)) throw badRequest("PASSWORD_HASH_INVALID");
    const verdict = await context.world.login.passwords.check(
      userId,
      context.authKeyId,
      input.srpId.toString(),
      input.A,
      input.M1,
    );
    context.note({ userId, passwordAccepted: verdict === "ok" });
    if (typeof verdict === "object") throw new RpcFailure(420, `FLOOD_WAIT_${verdict.floodWaitSeconds}`);
    if (verdict !== "ok") throw badRequest(verdict);
    return signInKey(context, userId, "password");
  },
});
