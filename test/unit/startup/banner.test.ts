import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { removePhotoCurl, renderBanner, setPhotoCurl, shellQuote } from "../../../src/startup/banner.js";

const users = [
  { id: "1000001", username: "gateway_self", firstName: "Self", lastName: null, role: "self" as const },
  { id: "1000002", username: "alice", firstName: "Alice", lastName: "Sandbox", role: "contact" as const },
  { id: "1000005", username: null, firstName: "Mallory", lastName: null, role: "not-a-contact" as const },
];

describe("renderBanner", () => {
  it("shows the URL, the mode and every sandbox user with role", () => {
    const text = renderBanner({
      url: "http://127.0.0.1:4000/graphql",
      mode: "sandbox",
      sandboxAddress: "127.0.0.1:5555",
      users,
      photoPath: "/repo/test/fixtures/contact-512.jpg",
    });
    assert.match(text, /ready at http:\/\/127\.0\.0\.1:4000\/graphql/);
    assert.match(text, /mode: sandbox \(embedded test DC at 127\.0\.0\.1:5555/);
    assert.match(text, /1000001\s+@gateway_self\s+Self\s+self/);
    assert.match(text, /1000002\s+@alice\s+Alice Sandbox\s+contact/);
    assert.match(text, /1000005\s+-\s+Mallory\s+not a contact/);
  });

  it("uses the first contact in the curl examples", () => {
    const text = renderBanner({ url: "http://h/graphql", mode: "sandbox", users, photoPath: "/p.jpg" });
    assert.match(text, /"userId":"1000002"/);
    assert.match(text, /removeContactPhoto\(userId: \\"1000002\\"\)/);
  });

  it("uses a placeholder user and says real Telegram without sandbox users", () => {
    const text = renderBanner({ url: "http://h/graphql", mode: "telegram", users: [], photoPath: "/p.jpg" });
    assert.match(text, /mode: real Telegram/);
    assert.doesNotMatch(text, /Sandbox users/);
    assert.match(text, /<contact id or @username>/);
  });

  it("names the DC address a TELEGRAM_DC_ADDRESS override dials", () => {
    const text = renderBanner({
      url: "http://h/graphql",
      mode: "telegram",
      telegramDcAddress: "127.0.0.1:40123",
      users: [],
      photoPath: "/p.jpg",
    });
    assert.match(text, /mode: Telegram DC at 127\.0\.0\.1:40123 \(TELEGRAM_DC_ADDRESS\)/);
  });

  it("points at the browser demo only when it is enabled", () => {
    const base = { url: "http://h/graphql", mode: "sandbox" as const, users, photoPath: "/p.jpg" };
    assert.match(
      renderBanner({ ...base, demoUrl: "http://h/demo/" }),
      /try it in a browser: http:\/\/h\/demo\//,
    );
    assert.doesNotMatch(renderBanner(base), /browser/);
  });
});

describe("curl examples", () => {
  it("send the preflight header, operations, map and the file as part 0", () => {
    const command = setPhotoCurl("http://h/graphql", "42", "/abs/contact-512.jpg");
    assert.match(command, /-H 'Apollo-Require-Preflight: true'/);
    assert.match(command, /-F map='\{"0":\["variables\.input\.photo"\]\}'/);
    assert.match(command, /-F '0=@\/abs\/contact-512\.jpg;type=image\/jpeg'/);
    const operations = /-F operations='([^']*)'/.exec(command)?.[1];
    assert.ok(operations);
    assert.deepEqual(JSON.parse(operations).variables, { input: { userId: "42", photo: null } });
  });

  it("add a bearer placeholder when tokens are required", () => {
    assert.match(setPhotoCurl("http://h", "1", "/p", true), /Authorization: Bearer <token>/);
    assert.match(removePhotoCurl("http://h", "1", true), /Authorization: Bearer <token>/);
    assert.doesNotMatch(removePhotoCurl("http://h", "1"), /Authorization/);
  });

  it("quotes paths with single quotes for the shell", () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});
