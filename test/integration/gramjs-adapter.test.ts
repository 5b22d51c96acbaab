/**
 * The GramJS adapter against the sandbox DC over real TCP: every port method, uploads, flags on
 * the wire (as the DC's independent decoder saw them), error mapping, timeouts and shutdown.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { TestDc } from "../../src/sandbox/index.js";
import { startTestDc } from "../../src/sandbox/index.js";
import type { GramJsPortOptions } from "../../src/telegram/gramjs/index.js";
import { installFastIge, uninstallFastIge } from "../../src/telegram/gramjs/fast-ige.js";
import { connectGramJsPort } from "../../src/telegram/gramjs/index.js";
import type { TelegramPort } from "../../src/telegram/port.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../src/telegram/port.js";
import { uploadToTelegram } from "../../src/uploads/telegram-part-uploader.js";
import { JPEG_FIXTURE } from "../fixtures/paths.js";

const fixtureMd5 = createHash("md5").update(readFileSync(JPEG_FIXTURE)).digest("hex");
const MiB = 1024 * 1024;

describe("GramJS adapter against the sandbox DC", () => {
  let dc: TestDc;
  let port: TelegramPort;
  const extraPorts: TelegramPort[] = [];

  const options = (overrides: Partial<GramJsPortOptions> = {}): GramJsPortOptions => ({
    apiId: 1,
    apiHash: "sandbox",
    session: dc.selfSession,
    connection: dc.connection(),
    callTimeoutMs: 5000,
    connectTimeoutMs: 5000,
    ...overrides,
  });
  const connectExtra = async (overrides: Partial<GramJsPortOptions>) => {
    const extra = await connectGramJsPort(options(overrides));
    extraPorts.push(extra);
    return extra;
  };
  const user = (role: "self" | "contact" | "not-a-contact", index = 0) => {
    const found = dc.users.filter((candidate) => candidate.role === role)[index];
    assert.ok(found, `the sandbox seeds a ${role} #${index}`);
    return found;
  };

  before(async () => {
    dc = await startTestDc();
    port = await connectGramJsPort(options());
  });

  after(async () => {
    await Promise.all(extraPorts.map((extra) => extra.close()));
    await port?.close();
    await dc?.close();
  });

  it("getSelf returns the signed-in account", async () => {
    const self = await port.getSelf();
    const seeded = user("self");
    assert.equal(self.id, seeded.id);
    assert.equal(self.isSelf, true);
    assert.equal(self.username, seeded.username);
  });

  it("getContacts returns exactly the seeded contacts", async () => {
    const contacts = await port.getContacts();
    const expected = dc.users
      .filter((candidate) => candidate.role === "contact")
      .map((candidate) => candidate.id);
    assert.deepEqual(contacts.map((contact) => contact.id).sort(), [...expected].sort());
    assert.ok(contacts.every((contact) => contact.isContact));
  });

  it("resolveUsername finds a user and rejects an unknown name with Telegram's error", async () => {
    const stranger = user("not-a-contact");
    assert.ok(stranger.username);
    const resolved = await port.resolveUsername(stranger.username);
    assert.equal(resolved.id, stranger.id);
    assert.equal(resolved.accessHash, stranger.accessHash);
    await assert.rejects(
      port.resolveUsername("nobody_has_this_name"),
      (error: unknown) =>
        error instanceof TelegramRpcError &&
        error.code === 400 &&
        error.method === "contacts.resolveUsername",
    );
  });

  it("getUsers answers a batch in input order, with null for unknown users, in one call", async () => {
    const first = user("contact", 0);
    const second = user("contact", 1);
    dc.journal.clear();
    const users = await port.getUsers([second, { id: "999999999", accessHash: "1" }, first]);
    assert.deepEqual(
      users.map((found) => found?.id ?? null),
      [second.id, null, first.id],
    );
    assert.equal(dc.journal.count("users.getUsers"), 1);
    assert.deepEqual(await port.getUsers([]), []);
  });

  it("uploads a photo and sets it as the contact's personal photo with exactly the given flags", async () => {
    const contact = user("contact", 0);
    dc.journal.clear();
    const file = await uploadToTelegram(port, createReadStream(JPEG_FIXTURE), {
      name: "contact-512.jpg",
      maxBytes: 10 * MiB,
    });
    assert.equal(file.md5Checksum, fixtureMd5);

    const result = await port.uploadContactProfilePhoto({ user: contact, save: true, suggest: false, file });
    assert.ok(result.photo, "Telegram answered with a photo");

    const [call] = dc.journal.ofMethod("photos.uploadContactProfilePhoto");
    assert.ok(call);
    assert.equal(call.outcome, "result");
    const params = call.params as Record<string, unknown> & { file: Record<string, unknown> };
    assert.equal(params.save, true);
    assert.notEqual(params.suggest, true);
    assert.equal(params.video, undefined);
    assert.equal(params.videoStartTs, undefined);
    assert.equal(params.videoEmojiMarkup, undefined);
    assert.equal(params.file.parts, file.parts);
    assert.equal(params.file.md5Checksum, fixtureMd5);
    assert.equal(String(params.file.id), file.fileId);
    assert.equal(dc.journal.count("upload.saveFilePart"), file.parts);

    const full = await port.getFullUser(contact);
    assert.equal(full.user.id, contact.id);
    assert.equal(full.personalPhoto?.id, result.photo.id);
  });

  it("uploads in several parts that the DC reassembles", async () => {
    const contact = user("contact", 1);
    dc.journal.clear();
    const file = await uploadToTelegram(port, createReadStream(JPEG_FIXTURE, { highWaterMark: 3000 }), {
      name: "contact-512.jpg",
      maxBytes: 10 * MiB,
      partSize: 4096,
      concurrency: 3,
    });
    assert.equal(file.parts, Math.ceil(file.size / 4096));
    const parts = dc.journal.ofMethod("upload.saveFilePart");
    assert.deepEqual(
      parts.map((entry) => entry.params.filePart).sort((a, b) => Number(a) - Number(b)),
      Array.from({ length: file.parts }, (_, index) => index),
    );
    const result = await port.uploadContactProfilePhoto({ user: contact, save: false, suggest: true, file });
    assert.ok(result);
    const [call] = dc.journal.ofMethod("photos.uploadContactProfilePhoto");
    assert.equal(call?.params.suggest, true);
    assert.notEqual(call?.params.save, true);
  });

  it("getFile downloads a personal photo's size in aligned chunks, byte for byte what the DC stored", async () => {
    const contact = user("contact", 0);
    const full = await port.getFullUser(contact);
    const photo = full.personalPhoto;
    assert.ok(photo, "set by the upload test above");
    const size = photo.sizes[0];
    assert.ok(size);
    const location = {
      photoId: photo.id,
      accessHash: photo.accessHash,
      fileReference: photo.fileReference,
      sizeType: size.type,
      dcId: photo.dcId,
    };
    const chunks: Uint8Array[] = [];
    let fileType = "";
    for (let offset = 0; ; offset += 64 * 1024) {
      const chunk = await port.getFile({ location, offset, limit: 64 * 1024, precise: false });
      chunks.push(chunk.bytes);
      fileType = chunk.fileType;
      if (chunk.bytes.length < 64 * 1024) break;
    }
    assert.equal(fileType, "jpeg");
    const stored = dc.world.photoFile(photo.id, size.type);
    assert.ok(stored && Buffer.concat(chunks).equals(stored.bytes));

    await assert.rejects(
      port.getFile({ location, offset: 0, limit: 1000, precise: false }),
      (error: unknown) => error instanceof TelegramRpcError && error.errorMessage === "LIMIT_INVALID",
    );
    dc.expireFileReferences();
    await assert.rejects(
      port.getFile({ location, offset: 0, limit: 4096, precise: false }),
      (error: unknown) =>
        error instanceof TelegramRpcError && error.errorMessage === "FILE_REFERENCE_EXPIRED",
    );
    const refreshed = (await port.getFullUser(contact)).personalPhoto;
    assert.ok(refreshed);
    const chunk = await port.getFile({
      location: { ...location, fileReference: refreshed.fileReference },
      offset: 0,
      limit: 4096,
      precise: false,
    });
    assert.equal(chunk.bytes.length, 4096);
  });

  it("getPhotoSuggestions lists the suggestions in the chat, newest first", async () => {
    const contact = user("contact", 1);
    const suggestions = await port.getPhotoSuggestions(contact, 50);
    assert.ok(suggestions.length >= 1, "suggested by the multi-part test above");
    const [latest] = suggestions;
    assert.equal(latest?.outgoing, true);
    assert.ok(latest.photo.fileReference.length > 0);
    assert.equal(dc.journal.ofMethod("messages.getHistory").at(-1)?.params.limit, 50);
  });

  it("returns FLOOD_WAIT_7 at once instead of sleeping", async () => {
    dc.faults.inject("users.getUsers", { rpcError: { code: 420, message: "FLOOD_WAIT_7" } });
    const started = Date.now();
    await assert.rejects(
      port.getSelf(),
      (error: unknown) =>
        error instanceof TelegramRpcError &&
        error.code === 420 &&
        error.errorMessage === "FLOOD_WAIT_7" &&
        error.method === "users.getUsers",
    );
    assert.ok(Date.now() - started < 2000, "no flood sleep");
  });

  it("keeps Telegram's message for other errors", async () => {
    dc.faults.inject("users.getFullUser", { rpcError: { code: 400, message: "CONTACT_MISSING" } });
    await assert.rejects(
      port.getFullUser(user("contact")),
      (error: unknown) => error instanceof TelegramRpcError && error.errorMessage === "CONTACT_MISSING",
    );
  });

  it("times out a call the DC never answers, and the connection stays usable", async () => {
    const shortTimeout = await connectExtra({ callTimeoutMs: 400 });
    dc.faults.inject("users.getFullUser", { silent: true });
    const started = Date.now();
    await assert.rejects(
      shortTimeout.getFullUser(user("contact")),
      (error: unknown) =>
        error instanceof TelegramUnavailableError &&
        error.reason === "timeout" &&
        error.method === "users.getFullUser",
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 350 && elapsed < 3000, `timed out after ${elapsed} ms`);
    assert.equal((await shortTimeout.getSelf()).isSelf, true);
  });

  it("never re-sends a call whose connection dropped: it fails as disconnected, the next call uses a new connection", async () => {
    const contact = user("contact", 0);
    dc.faults.inject("users.getFullUser", { drop: true });
    await assert.rejects(
      port.getFullUser(contact),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "disconnected",
    );
    // Re-sending is a policy decision (the retrying decorator makes it for idempotent calls only).
    const full = await port.getFullUser(contact);
    assert.equal(full.user.id, contact.id);
    const outcomes = dc.journal.ofMethod("users.getFullUser").slice(-2);
    assert.deepEqual(
      outcomes.map((entry) => entry.outcome),
      ["drop", "result"],
    );
    assert.notEqual(outcomes[0]?.connectionId, outcomes[1]?.connectionId, "answered on a new connection");
  });

  it("a session that is not signed in gets 401 AUTH_KEY_UNREGISTERED", async () => {
    const isUnregistered = (error: unknown) =>
      error instanceof TelegramRpcError &&
      error.code === 401 &&
      error.errorMessage === "AUTH_KEY_UNREGISTERED";
    // Like Telegram, the DC answers help.getConfig for a signed-out key, so connect() succeeds
    // and the first account call is what fails.
    const unregistered = await connectExtra({ session: dc.unregisteredSession });
    try {
      await assert.rejects(unregistered.getSelf(), isUnregistered);
      await assert.rejects(unregistered.ping(), isUnregistered);
    } finally {
      await unregistered.close();
    }
  });

  it("ping answers on a healthy connection", async () => {
    await port.ping();
  });

  it("close() rejects calls made afterwards and is safe to call twice", async () => {
    const closing = await connectExtra({});
    await closing.close();
    await closing.close();
    await assert.rejects(
      closing.getSelf(),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "not_connected",
    );
  });

  it("fails to connect with TelegramUnavailableError when nothing listens", async () => {
    const closedDc = await startTestDc();
    const unreachable = options({
      session: closedDc.selfSession,
      connection: closedDc.connection(),
      connectTimeoutMs: 2000,
    });
    await closedDc.close();
    await assert.rejects(connectGramJsPort(unreachable), TelegramUnavailableError);
  });

  it("works end to end with the WASM IGE installed", async () => {
    installFastIge();
    try {
      const fast = await connectExtra({});
      const contact = user("contact", 2);
      dc.journal.clear();
      async function* threeParts() {
        for (let index = 0; index < 3; index++) yield new Uint8Array(512 * 1024).fill(index + 1);
      }
      const file = await uploadToTelegram(fast, threeParts(), { name: "big.bin", maxBytes: 10 * MiB });
      assert.equal(file.parts, 3);
      assert.equal(dc.journal.count("upload.saveFilePart"), 3);
      assert.equal((await fast.getFullUser(contact)).user.id, contact.id);
    } finally {
      uninstallFastIge();
    }
  });

  it("after close() nothing keeps the process alive", async () => {
    // A child process connects, uploads, pings, closes, and must then exit on its own.
    const script = `
      import { connectGramJsPort } from ${JSON.stringify(new URL("../../src/telegram/gramjs/index.js", import.meta.url).href)};
      import { uploadToTelegram } from ${JSON.stringify(new URL("../../src/uploads/telegram-part-uploader.js", import.meta.url).href)};
      import { loopbackConnection } from ${JSON.stringify(new URL("../../src/sandbox/client/loopback-connection.js", import.meta.url).href)};
      const port = await connectGramJsPort({
        apiId: 1, apiHash: "sandbox", session: process.env.SESSION, connection: loopbackConnection(Number(process.env.DC_PORT)),
        callTimeoutMs: 5000, connectTimeoutMs: 5000, keepAliveIntervalMs: 50,
      });
      await port.getSelf();
      async function* bytes() { for (let i = 0; i < 3; i++) yield new Uint8Array(200 * 1024).fill(i); }
      await uploadToTelegram(port, bytes(), { name: "x.bin", maxBytes: 10 * 1024 * 1024 });
      await new Promise((resolve) => setTimeout(resolve, 200)); // let a few keep-alive pings run
      await port.ping();
      await port.close();
      console.log("closed");
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, SESSION: dc.selfSession, DC_PORT: String(dc.port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let closedAt = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (closedAt === 0 && stdout.includes("closed")) closedAt = Date.now();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    clearTimeout(killer);
    assert.equal(exitCode, 0, `child failed: ${stderr}`);
    assert.ok(closedAt > 0, `child never closed: ${stdout} ${stderr}`);
    const lingered = Date.now() - closedAt;
    assert.ok(lingered < 3000, `process stayed alive ${lingered} ms after close()`);
  });
});
