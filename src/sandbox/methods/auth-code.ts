/**
 * Login by phone code (https://core.telegram.org/api/auth): auth.sendCode, auth.signIn,
 * auth.signUp. Test numbers 99966XYYYY get the code XXXXX; any other number a random code that
 * the journal, `dc.lastLoginCode(phone)` and `npm run sandbox` show.
 */
import { Api } from "telegram";
import { LOGIN_CODE_LENGTH, normalizePhone } from "../world/phone-numbers.js";
import { RpcFailure, badRequest } from "../world/rpc-failure.js";
import { defineMethod, type MethodContext } from "./context.js";
import { answeringDcId, requireHomeDc } from "./home-dc.js";
import { requirePassword, signInKey } from "./signed-in.js";

/** Telegram's SMS screen offers a call after two minutes. */
const SMS_RESEND_TIMEOUT_SECONDS = 120;
const NAME_MAX_LENGTH = 64;

/** Telegram answers a malformed number with 406, not 400 (the method pages list it so). */
function phoneOf(raw: string): string {
  const phone = normalizePhone(raw);
  if (phone === null) throw new RpcFailure(406, "PHONE_NUMBER_INVALID");
  return phone;
}

function floodWait(seconds: number): RpcFailure {
  return new RpcFailure(420, `FLOOD_WAIT_${seconds}`);
}

export const sendCode = defineMethod({
  name: "auth.sendCode",
  requestClass: Api.auth.SendCode,
  allowUnregistered: true,
  run: (request, context) => {
    const phone = phoneOf(request.phoneNumber);
    requireHomeDc(context, phone);
    const { codes } = context.world.login;
    const locked = codes.floodWaitSeconds(phone);
    if (locked > 0) throw floodWait(locked);
    const pending = codes.issue(phone, context.authKeyId);
    const account = context.world.userByPhone(phone);
    // Telegram sends the code to the account's other sessions when it has one, else by SMS.
    const viaApp =
      account !== undefined && context.authKeys.keysOf(account.id).some((key) => key !== context.authKeyId);
    context.note({
      phone,
      code: pending.code,
      phoneCodeHash: pending.phoneCodeHash,
      via: viaApp ? "app" : "sms",
    });
    return viaApp
      ? new Api.auth.SentCode({
          type: new Api.auth.SentCodeTypeApp({ length: LOGIN_CODE_LENGTH }),
          phoneCodeHash: pending.phoneCodeHash,
          nextType: new Api.auth.CodeTypeSms(),
        })
      : new Api.auth.SentCode({
          type: new Api.auth.SentCodeTypeSms({ length: LOGIN_CODE_LENGTH }),
          phoneCodeHash: pending.phoneCodeHash,
          nextType: new Api.auth.CodeTypeCall(),
          timeout: SMS_RESEND_TIMEOUT_SECONDS,
        });
  },
});

export const signIn = defineMethod({
  name: "auth.signIn",
  requestClass: Api.auth.SignIn,
  allowUnregistered: true,
  run: (request, context) => {
    const phone = phoneOf(request.phoneNumber);
    if (!request.phoneCodeHash) throw badRequest("PHONE_CODE_HASH_EMPTY");
    if (!request.phoneCode) {
      // A login by email verification instead of a code needs an account (with a login email).
      const unoccupied = request.emailVerification && !context.world.userByPhone(phone);
      throw badRequest(unoccupied ? "PHONE_NUMBER_UNOCCUPIED" : "PHONE_CODE_EMPTY");
    }
    requireHomeDc(context, phone);
    const checked = context.world.login.codes.check(phone, request.phoneCodeHash, request.phoneCode);
    if (!checked.ok) {
      context.note({ phone, codeAccepted: false });
      throw checked.error === "FLOOD_WAIT" ? floodWait(checked.seconds) : badRequest(checked.error);
    }
    const account = context.world.userByPhone(phone);
    if (!account) {
      // The code stays valid for this key's auth.signUp.
      checked.pending.verifiedBy = context.authKeyId;
      context.note({ phone, codeAccepted: true, signUpRequired: true });
      return new Api.auth.AuthorizationSignUpRequired({});
    }
    context.world.login.codes.forget(checked.pending);
    requirePassword(context, account.id);
    return signInKey(context, account.id, "code");
  },
});

export const signUp = defineMethod({
  name: "auth.signUp",
  requestClass: Api.auth.SignUp,
  allowUnregistered: true,
  run: (request, context) => {
    const phone = phoneOf(request.phoneNumber);
    if (!request.phoneCodeHash) throw badRequest("PHONE_CODE_HASH_EMPTY");
    const firstName = request.firstName.trim();
    const lastName = request.lastName.trim();
    if (firstName.length === 0 || firstName.length > NAME_MAX_LENGTH) throw badRequest("FIRSTNAME_INVALID");
    if (lastName.length > NAME_MAX_LENGTH) throw badRequest("LASTNAME_INVALID");
    if (context.world.userByPhone(phone)) throw badRequest("PHONE_NUMBER_OCCUPIED");
    requireHomeDc(context, phone);
    const { codes } = context.world.login;
    const verified = codes.verified(phone, request.phoneCodeHash, context.authKeyId);
    if (verified === "expired") throw badRequest("PHONE_CODE_EXPIRED");
    // No auth.signIn proved a code for this hash on this key.
    if (!verified) throw badRequest("PHONE_CODE_EMPTY");
    codes.forget(verified);
    const account = context.world.createAccount(phone, firstName, lastName || null, answeringDcId(context));
    context.note({ phone, signedUp: account.id });
    return signInKey(context, account.id, "signUp");
  },
});

export const logOut = defineMethod({
  name: "auth.logOut",
  requestClass: Api.auth.LogOut,
  run: (_request, context: MethodContext) => {
    context.authKeys.signOut(context.authKeyId);
    context.world.login.settle(context.authKeyId);
    context.note({ signedOut: context.viewerId });
    return new Api.auth.LoggedOut({});
  },
});
