/**
 * An empty GramJS StringSession (no auth key: GramJS runs the key exchange on connect) pointed at
 * a sandbox DC. `save()` writes the port unsigned: GramJS's own throws for ports above 32767,
 * which ephemeral ports are, when it saves the key it just made.
 */
import { StringSession } from "telegram/sessions/index.js";
import { buildSessionString } from "../../../src/sandbox/client/session-string.js";

export class EmptySandboxSession extends StringSession {
  constructor(dc: { dcId: number; host: string; port: number }) {
    super("");
    this.setDC(dc.dcId, dc.host, dc.port);
  }

  override save(): string {
    const key = this.authKey?.getKey();
    if (!key || !this.serverAddress) return "";
    return buildSessionString({ dcId: this.dcId, host: this.serverAddress, port: this.port, authKey: key });
  }
}
