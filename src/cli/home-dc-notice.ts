import type { DcAddress } from "../config.js";
import { decodeSession } from "../telegram/session-string.js";

/**
 * What to tell the user about where the account lives. A login that followed a migration ends
 * on another DC than the one dialled: the gateway must then dial that DC, so an address given for
 * the login (TELEGRAM_DC_ADDRESS / --dc-address) must not be reused as it is.
 */
export function homeDcNotice(session: string, dialled: DcAddress | null): string {
  const home = decodeSession(session);
  const where = home.host.includes(":") ? `[${home.host}]:${home.port}` : `${home.host}:${home.port}`;
  if (dialled === null || (dialled.host === home.host && dialled.port === home.port)) {
    return `The account lives on DC ${home.dcId} (${where}).`;
  }
  return (
    `The account lives on DC ${home.dcId} at ${where}, not at the ${dialled.host}:${dialled.port} used to log in: ` +
    `start the gateway with TELEGRAM_DC_ADDRESS=${where} (or without TELEGRAM_DC_ADDRESS).`
  );
}
