import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { UploadedFileStream } from "../../../src/http/uploaded-file-stream.js";

async function readAll(stream: UploadedFileStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe("UploadedFileStream", () => {
  it("passes the bytes through but ends only once the parser confirmed what follows the file", async () => {
    const source = new PassThrough();
    const stream = new UploadedFileStream(source);
    const read = readAll(stream);
    source.end("jpeg bytes");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(stream.readableEnded, false, "not ended before confirmation");
    assert.equal(stream.complete, true);
    assert.equal(stream.bytesReceived, 10);
    stream.confirm();
    assert.equal(await read, "jpeg bytes");
  });

  it("ends at once when confirmed before the bytes are all in", async () => {
    const source = new PassThrough();
    const stream = new UploadedFileStream(source);
    stream.confirm();
    const read = readAll(stream);
    source.end("abc");
    assert.equal(await read, "abc");
  });

  it("fails instead of ending when the request turns out malformed, without an unhandled error", async () => {
    const source = new PassThrough();
    const stream = new UploadedFileStream(source);
    source.end("abc");
    const error = new GatewayError("BAD_REQUEST", "The file part 'x' is not named in the 'map'.");
    stream.fail(error);
    await new Promise((resolve) => stream.once("close", resolve));
    assert.equal(stream.readableEnded, false);
    assert.equal(stream.errored, error);
    await assert.rejects(readAll(stream), error);
  });

  it("keeps the source flowing with backpressure", async () => {
    const source = new PassThrough({ highWaterMark: 4 });
    const stream = new UploadedFileStream(source);
    const big = "x".repeat(200_000);
    source.end(big);
    stream.confirm();
    assert.equal((await readAll(stream)).length, big.length);
  });
});
