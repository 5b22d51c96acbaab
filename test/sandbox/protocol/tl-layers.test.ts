import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { BinaryReader } from "telegram/extensions/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import { TlReader } from "../../../src/sandbox/tl/tl-codec.js";
import { TlLayers } from "../../../src/sandbox/tl/tl-layers.js";

const layers = TlLayers.shipped();
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Reads an answer the way a client of `layer` would: with that layer's schema only. */
function readAs(layer: number, type: string, bytes: Buffer): unknown {
  const schema = layers.schema(layer);
  return new TlReader(bytes, (id) => schema.byId.get(id)).read({ kind: "object", type });
}

describe("TL layers", () => {
  it("ships GramJS's layer as the pivot and mtcute's layers, generated and fresh", () => {
    assert.deepEqual(layers.known, [143, 198, 223, 227]);
    assert.equal(layers.pivotLayer, 198);
    execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-sandbox-tl.ts", "--check"], {
      cwd: repoRoot,
      stdio: "pipe",
    });
  });

  it("serves the nearest older shipped layer; older than all: the oldest; none declared: the pivot", () => {
    const served = [100, 143, 144, 197, 198, 222, 223, 226, 227, 300].map((layer) =>
      layers.servedLayer(layer),
    );
    assert.deepEqual(served, [143, 143, 143, 143, 198, 198, 223, 223, 227, 227]);
    assert.equal(layers.servedLayer(null), 198);
  });

  it("reads layer 143's contacts.resolveUsername#f93ccba3 and re-writes it in the pivot layer", () => {
    const old = Buffer.concat([
      Buffer.from("a3cb3cf9", "hex"),
      Buffer.from([5, ...Buffer.from("alice"), 0, 0]),
    ]);
    const decoded = layers.requestToPivot(old, 143);
    assert.ok(decoded);
    const request = new BinaryReader(decoded.pivotBytes).tgReadObject() as Api.contacts.ResolveUsername;
    assert.ok(request instanceof Api.contacts.ResolveUsername);
    assert.equal(request.username, "alice");
  });

  it("accepts a constructor of another shipped layer (a layer-198 method from a layer-143 client)", () => {
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: new Api.InputUser({ userId: returnBigInt(7), accessHash: returnBigInt(8) }),
    });
    const decoded = layers.requestToPivot(request.getBytes(), 143);
    assert.equal(decoded?.method.name, "photos.uploadContactProfilePhoto");
    assert.deepEqual(decoded?.pivotBytes, request.getBytes());
  });

  it("adapts an answer to an older layer: unknown action -> messageActionEmpty, unknown vector items dropped", () => {
    const photo = new Api.Photo({
      id: returnBigInt(1),
      accessHash: returnBigInt(2),
      fileReference: Buffer.from("ref"),
      date: 1,
      sizes: [new Api.PhotoSize({ type: "a", w: 160, h: 160, size: 10 })],
      videoSizes: [new Api.VideoSizeEmojiMarkup({ emojiId: returnBigInt(5), backgroundColors: [1] })],
      dcId: 2,
    });
    const history = new Api.messages.Messages({
      messages: [
        new Api.MessageService({
          id: 1,
          peerId: new Api.PeerUser({ userId: returnBigInt(3) }),
          date: 1,
          action: new Api.MessageActionSuggestProfilePhoto({ photo }),
        }),
      ],
      chats: [],
      users: [],
    });
    const old = layers.resultFromPivot("messages.getHistory", history.getBytes(), 143);
    const read = readAs(143, "messages.Messages", old) as {
      messages: { _: string; action: { _: string } }[];
    };
    assert.equal(read.messages[0]?._, "messageService");
    assert.equal(read.messages[0]?.action._, "messageActionEmpty");

    const photos = new Api.photos.Photo({ photo, users: [] });
    const newer = layers.resultFromPivot("photos.uploadContactProfilePhoto", photos.getBytes(), 143);
    const readPhoto = readAs(143, "photos.Photo", newer) as { photo: { video_sizes?: unknown[] } };
    assert.deepEqual(readPhoto.photo.video_sizes ?? [], [], "the only video size was one layer 143 lacks");
  });

  it("re-writes a pivot answer into mtcute's layer 227 (user#31774388), readable by that layer alone", () => {
    const user = new Api.User({
      id: returnBigInt(1000002),
      accessHash: returnBigInt(9),
      firstName: "Alice",
      contact: true,
    });
    const bytes = layers.resultFromPivot(
      "users.getUsers",
      Buffer.concat([vectorHeader(1), user.getBytes()]),
      227,
    );
    assert.equal(bytes.readUInt32LE(8), 0x31774388);
    const schema = layers.schema(227);
    const read = new TlReader(bytes, (id) => schema.byId.get(id)).read({
      kind: "vector",
      bare: false,
      of: { kind: "object", type: "User" },
    }) as unknown as { first_name: string; contact: boolean; id: bigint }[];
    assert.equal(read[0]?.first_name, "Alice");
    assert.equal(read[0]?.contact, true);
    assert.equal(read[0]?.id, 1000002n);
  });
});

function vectorHeader(count: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x1cb5c415, 0);
  header.writeInt32LE(count, 4);
  return header;
}
