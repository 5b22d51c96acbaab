/**
 * The line between gateway and DC breaks (through the fault relay) while the gateway runs with
 * its shipped settings: keep-alive on, default backoff. The gateway must notice, say so on
 * /readyz, answer calls fast instead of hanging, and come back by itself once the line does.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { errorCode, me, mutate, readyStatus, SET, sleep, timed, untilReady } from "./support.js";

/** The shipped default: how long a call made during an outage waits for the line. */
const OUTAGE_WAIT_MS = 2000;

describe("outages with the shipped reconnect settings", () => {
  let gw: StartedGateway;

  before(async () => {
    // Every probe checks afresh: these tests watch /readyz follow the connection probe by probe.
    gw = await startGateway({ relay: true, env: { READY_CACHE_MS: "0" } });
  });
  after(async () => {
    await gw?.close();
  });

  it("a 1 s cut: readiness drops, a mutation sent during the cut waits and succeeds, no restart", async (t) => {
    assert.equal((await mutate(gw, SET)).body.data?.result.__typename, "ContactPhotoPayload");
    const relay = gw.relay!;
    relay.cut();
    await untilReady(gw, 503, 1000);
    // Sent while the line is down: it waits (at most TELEGRAM_OUTAGE_WAIT_MS) for the reconnect.
    const during = timed(() => mutate(gw, SET));
    await sleep(1000);
    await relay.restore();
    const restoredAt = performance.now();
    const recoveredMs = (await untilReady(gw, 200, 15_000)) + 0;
    const { value, ms } = await during;
    assert.equal(value.body.data?.result.__typename, "ContactPhotoPayload", JSON.stringify(value.body));
    t.diagnostic(`1 s cut: ready ${recoveredMs.toFixed(0)} ms after the line came back`);
    t.diagnostic(`1 s cut: mutation sent during the cut answered after ${ms.toFixed(0)} ms`);
    assert.ok(performance.now() - restoredAt < 15_000);
  });

  it("a 6 s cut: calls fail fast with TELEGRAM_UNAVAILABLE, then everything works again", async (t) => {
    const relay = gw.relay!;
    relay.cut();
    await untilReady(gw, 503, 1000);
    await sleep(OUTAGE_WAIT_MS + 500);
    const query = await timed(() => me(gw));
    assert.equal(errorCode(query.value), "TELEGRAM_UNAVAILABLE", JSON.stringify(query.value.body));
    assert.equal(query.value.status, 503);
    const mutation = await timed(() => mutate(gw, SET));
    assert.equal(errorCode(mutation.value), "TELEGRAM_UNAVAILABLE", JSON.stringify(mutation.value.body));
    // Bounded by the outage wait (plus one idempotent retry's), never by the 15 s call timeout.
    assert.ok(query.ms < OUTAGE_WAIT_MS * 2 + 1500, `query answered after ${query.ms.toFixed(0)} ms`);
    assert.ok(
      mutation.ms < OUTAGE_WAIT_MS * 2 + 1500,
      `mutation answered after ${mutation.ms.toFixed(0)} ms`,
    );
    t.diagnostic(`6 s cut: a query during the cut failed after ${query.ms.toFixed(0)} ms`);
    t.diagnostic(`6 s cut: a mutation during the cut failed after ${mutation.ms.toFixed(0)} ms`);
    await sleep(Math.max(0, 6000 - OUTAGE_WAIT_MS - 500 - query.ms - mutation.ms));
    assert.equal(await readyStatus(gw), 503);
    await relay.restore();
    const recoveredMs = await untilReady(gw, 200, 30_000);
    t.diagnostic(`6 s cut: ready ${recoveredMs.toFixed(0)} ms after the line came back`);
    // Readiness follows the main connection; the upload connections come back on their own backoff,
    // at most one step (TELEGRAM_RECONNECT_MAX_MS, 30 s shipped) later.
    const readyAt = performance.now();
    for (;;) {
      const afterwards = await mutate(gw, SET);
      if (afterwards.body.data?.result.__typename === "ContactPhotoPayload") break;
      assert.ok(performance.now() - readyAt < 30_000, JSON.stringify(afterwards.body));
      await sleep(250);
    }
    t.diagnostic(`6 s cut: a mutation succeeded ${(performance.now() - readyAt).toFixed(0)} ms after ready`);
  });

  it("a reset in the middle of a frame is recovered from like a cut", async (t) => {
    const relay = gw.relay!;
    const reset = relay.resetMidFrame("down");
    const answer = me(gw);
    await reset;
    await answer.catch(() => undefined);
    const recoveredMs = await untilReady(gw, 200, 15_000);
    t.diagnostic(`reset mid-frame: ready again after ${recoveredMs.toFixed(0)} ms`);
    assert.equal((await mutate(gw, SET)).body.data?.result.__typename, "ContactPhotoPayload");
  });
});

describe("a blackholed line (no FIN, no RST) is found by the keep-alive", () => {
  let gw: StartedGateway;
  const KEEPALIVE_MS = 1000;
  const CALL_TIMEOUT_MS = 2000;

  before(async () => {
    gw = await startGateway({
      relay: true,
      env: {
        TELEGRAM_KEEPALIVE_MS: String(KEEPALIVE_MS),
        TELEGRAM_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
        TELEGRAM_CONNECT_TIMEOUT_MS: "2000",
        READY_CACHE_MS: "0",
      },
    });
  });
  after(async () => {
    await gw?.close();
  });

  it("declares the connection lost, reconnects once the line carries bytes again", async (t) => {
    const relay = gw.relay!;
    const accepted = relay.stats.accepted;
    relay.blackhole();
    const blackholedAt = performance.now();
    // Sockets stay open: only an unanswered ping can tell. Wait for the gateway to dial anew.
    while (relay.stats.accepted === accepted) {
      assert.ok(performance.now() - blackholedAt < KEEPALIVE_MS + CALL_TIMEOUT_MS + 3000, "no reconnect");
      await sleep(50);
    }
    const detectedMs = performance.now() - blackholedAt;
    t.diagnostic(`blackhole: keep-alive declared the line dead after ${detectedMs.toFixed(0)} ms`);
    assert.equal(await readyStatus(gw), 503);
    await sleep(2000);
    await relay.restore();
    const recoveredMs = await untilReady(gw, 200, 30_000);
    t.diagnostic(`blackhole: ready ${recoveredMs.toFixed(0)} ms after the line carried bytes again`);
    assert.equal((await mutate(gw, SET)).body.data?.result.__typename, "ContactPhotoPayload");
  });
});
