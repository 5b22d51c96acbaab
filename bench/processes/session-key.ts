/**
 * The DC id and auth key inside a GramJS `StringSession` string ("1" + base64 of
 * dc_id u8 | address length u16BE | address | port u16BE | auth key 256 bytes), so a client that
 * is not GramJS can sign in with the same account.
 */
export interface SessionKey {
  dcId: number;
  authKey: Buffer;
}

const AUTH_KEY_BYTES = 256;

export function sessionKeyOf(session: string): SessionKey {
  const bytes = Buffer.from(session.slice(1), "base64");
  const addressLength = bytes.readUInt16BE(1);
  const keyStart = 1 + 2 + addressLength + 2;
  const authKey = bytes.subarray(keyStart, keyStart + AUTH_KEY_BYTES);
  if (authKey.length !== AUTH_KEY_BYTES) throw new Error("the session string carries no 256-byte auth key");
  return { dcId: bytes.readUInt8(0), authKey: Buffer.from(authKey) };
}
