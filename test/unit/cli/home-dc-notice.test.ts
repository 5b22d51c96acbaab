import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { homeDcNotice } from "../../../src/cli/home-dc-notice.js";
import { AUTH_KEY_BYTES, encodeSession } from "../../../src/telegram/session-string.js";

const sessionOn = (dcId: number, host: string, port: number) =>
  encodeSession({ dcId, host, port, authKey: Buffer.alloc(AUTH_KEY_BYTES, 7) });

describe("homeDcNotice", () => {
  it("names the DC the account lives on", () => {
    assert.equal(
      homeDcNotice(sessionOn(2, "149.154.167.50", 443), null),
      "The account lives on DC 2 (149.154.167.50:443).",
    );
  });

  it("says the login address is not the one to start with when the login followed a migration", () => {
    const notice = homeDcNotice(sessionOn(4, "127.0.0.1", 43339), { host: "127.0.0.1", port: 43337 });
    assert.match(notice, /DC 4 at 127\.0\.0\.1:43339, not at the 127\.0\.0\.1:43337 used to log in/);
    assert.match(notice, /TELEGRAM_DC_ADDRESS=127\.0\.0\.1:43339/);
  });

  it("stays short when the account lives where the login dialled, and brackets IPv6", () => {
    assert.equal(
      homeDcNotice(sessionOn(2, "2001:db8::1", 443), { host: "2001:db8::1", port: 443 }),
      "The account lives on DC 2 ([2001:db8::1]:443).",
    );
  });
});
