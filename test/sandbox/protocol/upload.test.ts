import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
import { CustomFile } from "telegram/client/uploads.js";
import type { TestDc } from "./support.js";
import { destroyClient, knownKey, makeClient, startDc, within } from "./support.js";

const key = knownKey("upload", "5555");
const boolTrue = { getBytes: (): Buffer => Buffer.from([0xb5, 0x75, 0x72, 0x99]) };

describe("GramJS uploadFile through the sandbox DC", () => {
  let dc: TestDc;
  let client: TelegramClient;
  const parts = new Map<number, Buffer>();

  before(async () => {
    dc = await startDc([key]);
    dc.handler.on("upload.SaveFilePart", (call) => {
      const request = call.request as Api.upload.SaveFilePart;
      parts.set(request.filePart, Buffer.from(request.bytes));
      return { kind: "result", value: boolTrue };
    });
    client = makeClient(dc.port, key);
    await within(client.connect(), 5000, "connect");
  });

  after(async () => {
    await destroyClient(client);
    await dc.server.close();
  });

  it("receives every part intact, including calls without initConnection on a second session", async () => {
    const data = randomBytes(700 * 1024);
    const file = new CustomFile("photo.jpg", data.length, "", data);
    const uploaded = await within(client.uploadFile({ file, workers: 2 }), 10_000, "uploadFile");
    assert.ok(uploaded instanceof Api.InputFile);
    const joined = Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((i) => parts.get(i)!));
    assert.equal(
      createHash("sha256").update(joined).digest("hex"),
      createHash("sha256").update(data).digest("hex"),
    );
    const partCalls = dc.handler.callsOf("upload.SaveFilePart");
    assert.equal(uploaded.parts, parts.size);
    const mainSession = dc.handler.callsOf("help.GetConfig")[0]!.sessionId;
    assert.ok(
      partCalls.every((call) => call.layer === null && call.sessionId !== mainSession),
      "parts come unwrapped on GramJS's second (exported) sender",
    );
    for (const call of partCalls) assert.deepEqual(call.requestBytes, call.request.getBytes());
  });
});
