/**
 * GramJS `StringSession` text: "1" + base64(dc_id u8 | addr_len i16BE | addr | port u16BE | auth_key).
 * Written here because `StringSession.save()` stores the port as a signed 16-bit number and throws
 * for ephemeral ports above 32767 (GramJS ignores the port in Node anyway: see `loopbackConnection`).
 */
export function buildSessionString(p: { dcId: number; host: string; port: number; authKey: Buffer }): string {
  if (p.authKey.length !== 256) throw new RangeError("auth key must be 256 bytes");
  const address = Buffer.from(p.host, "utf8");
  const header = Buffer.alloc(1 + 2 + address.length + 2);
  header.writeUInt8(p.dcId, 0);
  header.writeInt16BE(address.length, 1);
  address.copy(header, 3);
  header.writeUInt16BE(p.port & 0xffff, 3 + address.length);
  return "1" + Buffer.concat([header, p.authKey]).toString("base64");
}
