import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { downloadChunks } from "../../../src/media/download-chunks.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { FakeTelegramPort } from "../../support/fake-telegram-port.js";

const FILE = Buffer.from(Array.from({ length: 10_000 }, (_, index) => index % 256));
const location = {
  photoId: "5",
  accessHash: "1",
  fileReference: new Uint8Array([1]),
  sizeType: "c",
  dcId: 2,
};
const settings = { chunkBytes: 4096, prefetchChunks: 2 };

async function collect(pieces: AsyncGenerator<{ bytes: Uint8Array }>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece.bytes);
  return Buffer.concat(parts);
}

function portWithFile(): FakeTelegramPort {
  const port = new FakeTelegramPort();
  port.files.set("5:c", { fileType: "jpeg", bytes: FILE });
  return port;
}

describe("downloadChunks", () => {
  it("reads a file until a short chunk, and exactly a byte range", async () => {
    const port = portWithFile();
    const whole = await collect(
      downloadChunks(port, location, { start: 0, end: null }, settings, async () => new Uint8Array()),
    );
    assert.ok(whole.equals(FILE));
    const part = await collect(
      downloadChunks(port, location, { start: 4000, end: 8200 }, settings, async () => new Uint8Array()),
    );
    assert.ok(part.equals(FILE.subarray(4000, 8200)));
  });

  it("refreshes the reference once and retries the chunks that failed with it", async () => {
    const port = portWithFile();
    port.respondWith("getFile", async (request) => {
      if (request.location.fileReference[0] === 1)
        throw new TelegramRpcError(400, "FILE_REFERENCE_EXPIRED", "upload.getFile");
      return { fileType: "jpeg", bytes: FILE.subarray(request.offset, request.offset + request.limit) };
    });
    let refreshes = 0;
    const bytes = await collect(
      downloadChunks(port, location, { start: 0, end: null }, settings, async () => {
        refreshes++;
        return new Uint8Array([2]);
      }),
    );
    assert.ok(bytes.equals(FILE));
    assert.equal(refreshes, 1, "one refresh, shared by the chunks in flight");
  });

  it("gives up when the fresh reference expires too", async () => {
    const port = portWithFile();
    port.respondWith("getFile", async () => {
      throw new TelegramRpcError(400, "FILE_REFERENCE_EXPIRED", "upload.getFile");
    });
    let refreshes = 0;
    await assert.rejects(
      collect(
        downloadChunks(port, location, { start: 0, end: null }, settings, async () => {
          refreshes++;
          return new Uint8Array([refreshes + 1]);
        }),
      ),
      (error: unknown) =>
        error instanceof TelegramRpcError && error.errorMessage === "FILE_REFERENCE_EXPIRED",
    );
    assert.equal(refreshes, 1);
  });
});
