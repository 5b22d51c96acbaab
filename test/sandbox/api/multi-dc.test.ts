/**
 * The sandbox as a cluster: DCs 1, 2 and 4 on their own ports sharing one world. Keys belong to the
 * DC that holds them, accounts to their home DC, photo files to the DC that stored them; clients
 * move between DCs with export/importAuthorization as they do on Telegram.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Api, TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { returnBigInt } from "telegram/Helpers.js";
import { deriveAuthKey } from "../../../src/sandbox/client/auth-key.js";
import { DC4_USER_ID, SELF_USER_ID, startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { unregisteredAuthKeySeed } from "../../../src/sandbox/world/seed.js";
import { releaseClient } from "../../../src/telegram/gramjs/release-client.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { RawClient } from "../protocol/raw-client.js";
import { within } from "../protocol/support.js";
import { GramJsSessions, uploadBytes, withTimeout } from "./gramjs-session.js";
import { ALICE, FAYE, Harness, OWNER } from "./harness.js";
import { sessionWithKeysElsewhere } from "./multi-dc-session.js";

const JPEG = readFileSync(JPEG_FIXTURE);

/** A GramJS error's code and the DC a *_MIGRATE error names. */
function migrateTo(code: number, dcId: number): (error: unknown) => boolean {
  return (error) => {
    const { code: actual, newDc } = error as { code?: unknown; newDc?: unknown };
    return actual === code && newDc === dcId;
  };
}

function peer(viewerId: string, userId: string, dc: TestDc): Api.InputPeerUser {
  return new Api.InputPeerUser({
    userId: returnBigInt(userId),
    accessHash: returnBigInt(dc.world.accessHashFor(viewerId, userId)),
  });
}

function inputUserAs(viewerId: string, userId: string, dc: TestDc): Api.InputUser {
  return new Api.InputUser({
    userId: returnBigInt(userId),
    accessHash: returnBigInt(dc.world.accessHashFor(viewerId, userId)),
  });
}

describe("sandbox cluster: DCs 1, 2 and 4", () => {
  let dc: TestDc;
  let sessions: GramJsSessions;

  beforeEach(async () => {
    dc = await startTestDc();
    sessions = new GramJsSessions(dc);
  });

  afterEach(async () => {
    await sessions.releaseAll();
    await dc.close();
  });

  it("runs each DC on its own port; help.getConfig lists all three, this_dc = the answering DC", async () => {
    assert.deepEqual(
      dc.dcs.map((each) => each.id),
      [1, 2, 4],
    );
    assert.equal(new Set(dc.dcs.map((each) => each.port)).size, 3);
    assert.equal(dc.port, dc.portOf(2));
    const expected = dc.dcs.map((each) => [each.id, each.host, each.port, false]);
    for (const [session, dcId] of [
      [dc.selfSession, 2],
      [dc.sessionFor(DC4_USER_ID), 4],
      [dc.unregisteredSessionOn(1), 1],
    ] as const) {
      const client = await sessions.connect(session);
      const config = await withTimeout(client.invoke(new Api.help.GetConfig()));
      assert.equal(config.thisDc, dcId);
      assert.deepEqual(
        config.dcOptions.map((option) => [option.id, option.ipAddress, option.port, option.ipv6 === true]),
        expected,
      );
      const nearest = await withTimeout(client.invoke(new Api.help.GetNearestDc()));
      assert.deepEqual([nearest.thisDc, nearest.nearestDc, nearest.country], [dcId, 2, "ZZ"]);
    }
    const onDc4 = dc.journal.ofMethod("help.getConfig").filter((entry) => entry.dcId === 4);
    assert.ok(onDc4.length >= 1, "the journal names the DC that answered");
  });

  it("refuses a DC-2 key on DC 4 with transport error -404, as Telegram does for a key it never made", async () => {
    const selfKey = deriveAuthKey(`sandbox:user:${SELF_USER_ID}`).authKey;
    const stranger = await RawClient.open(dc.portOf(4), "full", selfKey);
    stranger.send(new Api.help.GetConfig().getBytes());
    assert.deepEqual(await stranger.next(), { kind: "transport-error", code: -404 });
    await within(stranger.closed, 3000, "close after -404");
    const fayeKey = deriveAuthKey(`sandbox:user:${DC4_USER_ID}`).authKey;
    const wrongWay = await RawClient.open(dc.port, "full", fayeKey);
    wrongWay.send(new Api.help.GetConfig().getBytes());
    assert.deepEqual(await wrongWay.next(), { kind: "transport-error", code: -404 });
    wrongWay.close();
  });

  it("serves the DC-4 account on DC 4: contacts, users and a personal photo stored on DC 4", async () => {
    const faye = await sessions.connect(dc.sessionFor(DC4_USER_ID));
    const contacts = await withTimeout(faye.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) })));
    assert.ok(contacts instanceof Api.contacts.Contacts);
    assert.deepEqual(
      contacts.contacts.map((contact) => [contact.userId.toString(), contact.mutual]),
      [
        [ALICE, true],
        ["1000003", false],
      ],
    );
    const file = await uploadBytes(faye, "alice.jpg", JPEG);
    const result = await withTimeout(
      faye.invoke(
        new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUserAs(FAYE, ALICE, dc), file }),
      ),
    );
    assert.ok(result.photo instanceof Api.Photo);
    assert.equal(result.photo.dcId, 4);
    const parts = dc.journal.ofMethod("upload.saveFilePart");
    assert.ok(parts.length > 0);
    assert.ok(parts.every((entry) => entry.dcId === 4 && entry.userId === FAYE));
    assert.equal(dc.journal.ofMethod("photos.uploadContactProfilePhoto").at(-1)?.dcId, 4);
  });

  it("moves an account to another DC with export/importAuthorization; elsewhere it gets USER_MIGRATE", async () => {
    const owner = await sessions.connect(dc.selfSession);
    const onDc4 = await sessions.connect(dc.unregisteredSessionOn(4));
    await assert.rejects(
      withTimeout(onDc4.invoke(new Api.updates.GetState())),
      (error: { code?: number; errorMessage?: string }) =>
        error.code === 401 && error.errorMessage === "AUTH_KEY_UNREGISTERED",
    );
    await assert.rejects(
      withTimeout(owner.invoke(new Api.auth.ExportAuthorization({ dcId: 2 }))),
      (error: { errorMessage?: string }) => error.errorMessage === "DC_ID_INVALID",
      "not for the answering DC",
    );
    await assert.rejects(
      withTimeout(owner.invoke(new Api.auth.ExportAuthorization({ dcId: 3 }))),
      (error: { errorMessage?: string }) => error.errorMessage === "DC_ID_INVALID",
      "not for a DC the cluster does not run",
    );
    const exported = await withTimeout(owner.invoke(new Api.auth.ExportAuthorization({ dcId: 4 })));
    const forged = Buffer.from(exported.bytes);
    forged[0] = (forged[0] ?? 0) ^ 1;
    await assert.rejects(
      withTimeout(onDc4.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: forged }))),
      (error: { errorMessage?: string }) => error.errorMessage === "AUTH_BYTES_INVALID",
    );
    const imported = await withTimeout(
      onDc4.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: exported.bytes })),
    );
    assert.ok(imported instanceof Api.auth.Authorization);
    assert.equal(imported.user.id.toString(), SELF_USER_ID);
    await assert.rejects(
      withTimeout(onDc4.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: exported.bytes }))),
      (error: { errorMessage?: string }) => error.errorMessage === "AUTH_BYTES_INVALID",
      "a token signs in one key",
    );

    // Signed in on DC 4 as an account of DC 2: files work, account methods point home. The sender
    // is used directly because GramJS's invoke() answers USER_MIGRATE by switching its own DC.
    const sender = onDc4._sender!;
    const send = (request: Api.AnyRequest): Promise<unknown> => sender.send(request) ?? Promise.resolve();
    await assert.rejects(
      withTimeout(send(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }))),
      migrateTo(303, 2),
    );
    await assert.rejects(
      withTimeout(
        send(
          new Api.messages.GetHistory({
            peer: peer(OWNER, ALICE, dc),
            limit: 1,
            offsetId: 0,
            hash: returnBigInt(0),
          }),
        ),
      ),
      migrateTo(303, 2),
    );
    const migrated = dc.journal.ofMethod("users.getUsers").at(-1);
    assert.deepEqual(
      [migrated?.dcId, migrated?.userId, migrated?.error],
      [4, SELF_USER_ID, { code: 303, message: "USER_MIGRATE_2" }],
    );
    const saved = await withTimeout(
      send(new Api.upload.SaveFilePart({ fileId: returnBigInt(77), filePart: 0, bytes: JPEG })),
    );
    assert.equal(saved, true);
    assert.deepEqual(
      dc.world.pendingUploads(SELF_USER_ID, 4).map((file) => file.fileId),
      ["77"],
    );
    assert.deepEqual(dc.world.pendingUploads(SELF_USER_ID, 2), []);

    // Parts live on the DC that received them: the photo call on DC 2 does not find them.
    await assert.rejects(
      withTimeout(
        owner.invoke(
          new Api.photos.UploadContactProfilePhoto({
            save: true,
            userId: inputUserAs(OWNER, ALICE, dc),
            file: new Api.InputFile({ id: returnBigInt(77), parts: 1, name: "a.jpg", md5Checksum: "" }),
          }),
        ),
      ),
      (error: { errorMessage?: string }) => error.errorMessage === "FILE_PART_0_MISSING",
    );
  });

  it("answers FILE_MIGRATE for a photo file stored on another DC, and serves it on its own DC", async () => {
    const alice = await sessions.connect(dc.sessionFor(ALICE));
    const file = await uploadBytes(alice, "for-faye.jpg", JPEG);
    const suggested = await withTimeout(
      alice.invoke(
        new Api.photos.UploadContactProfilePhoto({
          suggest: true,
          userId: inputUserAs(ALICE, FAYE, dc),
          file,
        }),
      ),
    );
    assert.ok(suggested.photo instanceof Api.Photo);
    assert.equal(suggested.photo.dcId, 2, "stored where Alice lives");
    const location = new Api.InputPhotoFileLocation({
      id: suggested.photo.id,
      accessHash: suggested.photo.accessHash,
      fileReference: suggested.photo.fileReference,
      thumbSize: "a",
    });
    const getFile = new Api.upload.GetFile({ location, offset: returnBigInt(0), limit: 64 * 1024 });

    const faye = await sessions.connect(dc.sessionFor(DC4_USER_ID));
    await assert.rejects(withTimeout(faye.invoke(getFile)), migrateTo(303, 2));
    assert.deepEqual(dc.journal.ofMethod("upload.getFile").at(-1)?.error, {
      code: 303,
      message: "FILE_MIGRATE_2",
    });
    const served = await withTimeout(alice.invoke(getFile));
    assert.ok(served instanceof Api.upload.File);
    assert.deepEqual(Buffer.from(served.bytes), JPEG);
  });

  it("GramJS downloadMedia fetches a photo stored on DC 2 for the DC-4 account on its DC-2 key", async () => {
    const alice = await sessions.connect(dc.sessionFor(ALICE));
    const file = await uploadBytes(alice, "for-faye.jpg", JPEG);
    await withTimeout(
      alice.invoke(
        new Api.photos.UploadContactProfilePhoto({
          suggest: true,
          userId: inputUserAs(ALICE, FAYE, dc),
          file,
        }),
      ),
    );
    // Faye's key on DC 2, signed in the way clients do it: exported on DC 4, imported on DC 2.
    const home = await sessions.connect(dc.sessionFor(DC4_USER_ID));
    const exported = await withTimeout(home.invoke(new Api.auth.ExportAuthorization({ dcId: 2 })));
    const keyOnDc2 = await sessions.connect(dc.unregisteredSessionOn(2));
    await withTimeout(
      keyOnDc2.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: exported.bytes })),
    );
    dc.journal.clear();

    // A session that kept that key (as Telethon's and mtcute's do): GramJS borrows a sender on
    // DC 2 for the photo's dc_id, dialled through the cluster connection, and downloads there.
    const faye = new TelegramClient(
      await sessionWithKeysElsewhere(
        dc.sessionFor(DC4_USER_ID),
        new Map([[2, deriveAuthKey(unregisteredAuthKeySeed(2)).authKey]]),
      ),
      1,
      "sandbox",
      { connection: dc.connection(), floodSleepThreshold: 0, baseLogger: new Logger(LogLevel.NONE) },
    );
    try {
      assert.equal(await withTimeout(faye.connect()), true);
      const history = await withTimeout(
        faye.invoke(new Api.messages.GetHistory({ peer: peer(FAYE, ALICE, dc), limit: 5 })),
      );
      assert.ok("messages" in history);
      const message = history.messages[0];
      assert.ok(message instanceof Api.MessageService);
      assert.ok(message.action instanceof Api.MessageActionSuggestProfilePhoto);
      const photo = message.action.photo;
      assert.ok(photo instanceof Api.Photo);
      assert.equal(photo.dcId, 2);
      const bytes = await withTimeout(faye.downloadMedia(new Api.MessageMediaPhoto({ photo }), {}), 15_000);
      assert.ok(Buffer.isBuffer(bytes));
      assert.deepEqual(bytes, JPEG);
      const onDc2 = dc.journal.entries().filter((entry) => entry.dcId === 2);
      assert.ok(onDc2.some((entry) => entry.method === "upload.getFile" && entry.outcome === "result"));
      assert.ok(onDc2.every((entry) => entry.userId === FAYE));
    } finally {
      await releaseClient(faye);
    }
  });
});

describe("sandbox API handler on a DC other than the account's home", () => {
  it("answers USER_MIGRATE_<home> for account methods and serves help.* and file parts", async () => {
    const h = new Harness({ dcId: 4 });
    assert.equal(
      await h.error(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      "303 USER_MIGRATE_2",
    );
    assert.equal(
      await h.error(new Api.contacts.GetContacts({ hash: returnBigInt(0) })),
      "303 USER_MIGRATE_2",
    );
    assert.equal(await h.error(new Api.updates.GetState()), "303 USER_MIGRATE_2");
    const config = await h.result<Api.Config>(new Api.help.GetConfig());
    assert.equal(config.thisDc, 4);
    const [faye] = await h.result<Api.TypeUser[]>(
      new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
      FAYE,
    );
    assert.equal(faye?.id.toString(), FAYE, "the DC-4 account is at home here");
    assert.equal(await h.error(new Api.auth.ExportAuthorization({ dcId: 2 }), OWNER), "303 USER_MIGRATE_2");
    const unknown = await h.error(new Api.account.GetAuthorizations());
    assert.equal(unknown, "400 INPUT_METHOD_INVALID", "an unknown method stays unknown on any DC");
  });
});
