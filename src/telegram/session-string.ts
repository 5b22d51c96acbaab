/**
 * The TELEGRAM_SESSION format (GramJS's `StringSession`), checked and written without GramJS.
 * GramJS decodes whatever it is given and fails deep inside its reader ("No more data left to
 * read", with raw bytes in the message), so an operator's paste is checked here first.
 */

/** What a session holds: the account's home DC, where it was reached, and the auth key. */
export interface SessionContents {
  dcId: number;
  /** IPv4/IPv6 address or host name the session was signed in through. */
  host: string;
  /** The port it was reached on (0-65535: written unsigned, see {@link encodeSession}). */
  port: number;
  /** The 2048-bit MTProto auth key. */
  authKey: Buffer;
}

export const AUTH_KEY_BYTES = 256;
const VERSION = "1";
/** GramJS takes an address length above 100 for a packed 16-byte IPv6 address. */
const MAX_ADDRESS_BYTES = 100;
/** base64 of DC id, IPv4 (4 bytes), port and auth key. */
const TELETHON_BODY_CHARS = 352;

/** How a valid session looks, for error messages. */
export const SESSION_FORMAT =
  '"1" followed by base64 of: DC id (1 byte), address length (2 bytes), address, port (2 bytes), ' +
  "256-byte auth key; `npm run login` prints one";

export class MalformedSessionError extends Error {
  override readonly name = "MalformedSessionError";
}

/**
 * Parses a session string. Throws {@link MalformedSessionError} saying what is wrong, never
 * quoting the session (it is the account's key).
 */
export function decodeSession(text: string): SessionContents {
  const trimmed = text.trim();
  if (!trimmed.startsWith(VERSION)) {
    throw new MalformedSessionError(`it does not start with the version "${VERSION}"`);
  }
  const body = trimmed.slice(1);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 === 1) {
    throw new MalformedSessionError("it is not base64 after the version");
  }
  const bytes = Buffer.from(body, "base64");
  // GramJS reads a session of exactly this length as Telethon's: a packed IPv4 address, no length.
  if (body.length === TELETHON_BODY_CHARS) return decodeTelethonLayout(bytes);
  if (bytes.length < 5) throw new MalformedSessionError("it is too short to hold a DC id and an address");
  const dcId = bytes.readUInt8(0);
  if (dcId === 0) throw new MalformedSessionError("its DC id is 0");
  const addressLength = bytes.readUInt16BE(1);
  if (addressLength === 0 || addressLength > MAX_ADDRESS_BYTES) {
    throw new MalformedSessionError(`its address length (${addressLength}) is not 1-${MAX_ADDRESS_BYTES}`);
  }
  const portOffset = 3 + addressLength;
  const keyOffset = portOffset + 2;
  const keyBytes = bytes.length - keyOffset;
  if (keyBytes !== AUTH_KEY_BYTES) {
    throw new MalformedSessionError(
      `it holds ${Math.max(keyBytes, 0)} bytes of auth key where ${AUTH_KEY_BYTES} belong`,
    );
  }
  const host = bytes.subarray(3, portOffset).toString("utf8");
  if (!/^[A-Za-z0-9.:_-]+$/.test(host))
    throw new MalformedSessionError("its address is not a host name or IP");
  const port = bytes.readUInt16BE(portOffset);
  if (port === 0) throw new MalformedSessionError("its port is 0");
  return { dcId, host, port, authKey: Buffer.from(bytes.subarray(keyOffset)) };
}

function decodeTelethonLayout(bytes: Buffer): SessionContents {
  const dcId = bytes.readUInt8(0);
  if (dcId === 0) throw new MalformedSessionError("its DC id is 0");
  if (bytes.length !== 7 + AUTH_KEY_BYTES) {
    throw new MalformedSessionError(
      `it holds ${bytes.length - 7} bytes of auth key where ${AUTH_KEY_BYTES} belong`,
    );
  }
  return {
    dcId,
    host: [...bytes.subarray(1, 5)].join("."),
    port: bytes.readUInt16BE(5),
    authKey: Buffer.from(bytes.subarray(7)),
  };
}

/**
 * Writes a session GramJS reads back. The port is written unsigned: GramJS's own `save()` writes
 * a signed 16-bit number and throws for ports above 32767 (it never dials the stored port in
 * Node, so reading it back signed does no harm).
 */
export function encodeSession(contents: SessionContents): string {
  if (contents.authKey.length !== AUTH_KEY_BYTES) throw new RangeError("an auth key is 256 bytes");
  const address = Buffer.from(contents.host, "utf8");
  const header = Buffer.alloc(5 + address.length);
  header.writeUInt8(contents.dcId, 0);
  header.writeUInt16BE(address.length, 1);
  address.copy(header, 3);
  header.writeUInt16BE(contents.port & 0xffff, 3 + address.length);
  return VERSION + Buffer.concat([header, contents.authKey]).toString("base64");
}
