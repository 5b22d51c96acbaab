/**
 * A slow, far line (200 ms round trip, 2 MB/s uplink shared by every connection) carrying eight
 * uploads at once. Parts travel on their own connections, so queries and pings on the main one
 * never wait behind megabytes of parts, and the keep-alive never mistakes a busy line for a dead one.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { me, mutate, photoBytes, SET, timed } from "./support.js";

const UPLOADS = 8;
/** Three 512 KiB parts each: 8 x 1.25 MiB = 10 MiB, about five seconds of uplink. */
const PHOTO_BYTES = 1_300_000;
/** Pings every second on every connection, so many of them go out while the uplink is full. */
const KEEPALIVE_MS = 1000;

describe("200 ms RTT and a 2 MB/s uplink during eight concurrent uploads", () => {
  let gw: StartedGateway;

  before(async () => {
    gw = await startGateway({ relay: true, env: { TELEGRAM_KEEPALIVE_MS: String(KEEPALIVE_MS) } });
  });
  after(async () => {
    await gw?.close();
  });

  it("every upload succeeds, queries stay fast, and no ping forces a reconnect", async (t) => {
    const relay = gw.relay!;
    const jpeg = await photoBytes();
    // Bytes after the JPEG's end marker are ignored by decoders: a valid photo of three parts.
    const big = Buffer.concat([jpeg, Buffer.alloc(PHOTO_BYTES - jpeg.length, 0x20)]);
    relay.shape({ latencyMs: 100, upBytesPerSecond: 2_000_000 });
    const idle = await timed(() => me(gw));
    t.diagnostic(`a query on the idle 200 ms RTT line: ${idle.ms.toFixed(0)} ms`);
    const connectionsBefore = relay.stats.accepted;

    const uploads = timed(() =>
      Promise.all(
        Array.from({ length: UPLOADS }, (_, index) => mutate(gw, SET, big, index % gw.contacts.length)),
      ),
    );
    // While the uplink is full of parts, a query on the main connection pays the round trip, not the queue.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const queryTimes: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const query = await timed(() => me(gw));
      assert.ok(query.value.body.data?.me.id, JSON.stringify(query.value.body));
      queryTimes.push(query.ms);
    }
    const { value: answers, ms } = await uploads;
    for (const answer of answers) {
      assert.equal(answer.body.data?.result.__typename, "ContactPhotoPayload", JSON.stringify(answer.body));
    }
    t.diagnostic(`8 uploads of ${PHOTO_BYTES} bytes over 2 MB/s, 200 ms RTT: ${ms.toFixed(0)} ms`);
    t.diagnostic(`queries during the uploads: ${queryTimes.map((q) => q.toFixed(0)).join(" / ")} ms`);
    assert.ok(ms >= (UPLOADS * PHOTO_BYTES * 1000) / 2_000_000 - 500, "the uplink limit applied");
    // Behind the parts, a query would wait for megabytes: 8 uploads x 4 parts x 512 KiB is 8 s of
    // this uplink. On its own connection it pays the round trip (plus CPU time on a busy machine).
    const median = [...queryTimes].sort((a, b) => a - b)[1]!;
    assert.ok(median < 1500, `queries took ${queryTimes.map((q) => q.toFixed(0)).join(", ")} ms`);
    assert.equal(relay.stats.accepted, connectionsBefore, "no connection was dropped and re-dialled");
    relay.shape({});
  });
});
