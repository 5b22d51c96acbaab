import type { EnvReader } from "./env-reader.js";
import { CREDENTIAL_NAMES, type TelegramCredentials } from "./telegram-credentials.js";

/** Where to dial a Telegram DC instead of the address stored in the session. */
export interface DcAddress {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
}

/** `host:port` or `[ipv6]:port`; a bare IPv6 address is ambiguous and refused. */
export function parseDcAddress(text: string): DcAddress | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return null;
  return { host: match[1] ?? match[2] ?? "", port };
}

export function formatDcAddress(address: DcAddress): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export function readDcAddress(reader: EnvReader, telegram: TelegramCredentials | null): DcAddress | null {
  const raw = reader.raw("TELEGRAM_DC_ADDRESS");
  if (raw === undefined) return null;
  const address = parseDcAddress(raw);
  if (address === null) {
    reader.problems.push(
      `TELEGRAM_DC_ADDRESS=${JSON.stringify(raw)} must be host:port (IPv6 as [addr]:port)`,
    );
    return null;
  }
  if (telegram === null) {
    reader.problems.push(
      `TELEGRAM_DC_ADDRESS points a session at another address: set ${CREDENTIAL_NAMES.join(", ")} too`,
    );
    return null;
  }
  return address;
}
