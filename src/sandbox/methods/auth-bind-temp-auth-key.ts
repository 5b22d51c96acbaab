/**
 * auth.bindTempAuthKey (https://core.telegram.org/method/auth.bindTempAuthKey): binds the
 * temporary key the call arrives on to a permanent key, proven by `bind_auth_key_inner` encrypted
 * (MTProto 1.0) with the permanent key. The bound temporary key then acts as the permanent key's
 * account until it expires.
 */
import { Api } from "telegram";
import { decryptMessageV1 } from "../crypto/message-crypto-v1.js";
import { RpcFailure } from "../world/rpc-failure.js";
import { defineMethod } from "./context.js";
import { tlTrue } from "./tl-values.js";

const BIND_AUTH_KEY_INNER = 0x75a3f765;
const INNER_LENGTH = 40;

function invalid(): RpcFailure {
  return new RpcFailure(400, "ENCRYPTED_MESSAGE_INVALID");
}

export const bindTempAuthKey = defineMethod({
  name: "auth.bindTempAuthKey",
  requestClass: Api.auth.BindTempAuthKey,
  allowUnregistered: true,
  secretParams: ["encryptedMessage"],
  run(request, context) {
    const temporary = context.authKeys.lookup(context.authKeyId);
    if (temporary?.expiresAt === undefined) throw new RpcFailure(400, "TEMP_AUTH_KEY_EMPTY");
    const permAuthKeyId = BigInt.asUintN(64, BigInt(request.permAuthKeyId.toString())).toString();
    const permanent = context.authKeys.lookup(permAuthKeyId);
    const message = Buffer.from(request.encryptedMessage);
    if (!permanent || permanent.expiresAt !== undefined || message.length < 24) throw invalid();
    if (message.readBigUInt64LE(0).toString() !== permAuthKeyId) throw invalid();
    const plaintext = decryptMessageV1(permanent.authKey, message.subarray(8, 24), message.subarray(24));
    if (!plaintext || plaintext.readUInt32LE(28) !== INNER_LENGTH) throw invalid();
    const inner = plaintext.subarray(32);
    const expiresAt = request.expiresAt;
    const matches =
      plaintext.readBigUInt64LE(16).toString() === context.call.msgId &&
      inner.readUInt32LE(0) === BIND_AUTH_KEY_INNER &&
      inner.readBigInt64LE(4).toString() === request.nonce.toString() &&
      inner.readBigUInt64LE(12).toString() === context.authKeyId &&
      inner.readBigUInt64LE(20).toString() === permAuthKeyId &&
      inner.readBigUInt64LE(28).toString() === context.call.sessionId &&
      inner.readInt32LE(36) === expiresAt;
    if (!matches) throw invalid();
    if (!context.authKeys.bindTemporary(context.authKeyId, permAuthKeyId, expiresAt * 1000)) {
      throw new RpcFailure(400, "TEMP_AUTH_KEY_ALREADY_BOUND");
    }
    context.note({ boundTo: permAuthKeyId });
    return tlTrue;
  },
});
