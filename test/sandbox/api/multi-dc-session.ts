/**
 * A GramJS session that also holds keys for DCs other than its own, as Telethon's SQLite sessions
 * and mtcute's storage do. GramJS's StringSession forgets every key but its DC's, so GramJS would
 * run a DH exchange for a DC it borrows a sender on; with a key already on that DC (the sandbox's
 * signed-out key there) it connects at once and signs the key in with export/importAuthorization.
 */
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { StringSession } from "telegram/sessions/index.js";

export async function sessionWithKeysElsewhere(
  session: string,
  keys: ReadonlyMap<number, Buffer>,
): Promise<StringSession> {
  const others = new Map<number, AuthKey>();
  for (const [dcId, bytes] of keys) {
    const key = new AuthKey();
    await key.setKey(bytes);
    others.set(dcId, key);
  }
  return new (class extends StringSession {
    override getAuthKey(dcId?: number): AuthKey | undefined {
      if (dcId !== undefined && dcId !== this.dcId) return others.get(dcId);
      return super.getAuthKey(dcId);
    }
  })(session);
}
