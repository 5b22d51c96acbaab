import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { ScriptedFaultInjector } from "../../../src/sandbox/faults/fault-injector.js";
import { Harness } from "./harness.js";

function part(filePart: number): Api.upload.SaveFilePart {
  return new Api.upload.SaveFilePart({ fileId: returnBigInt(1), filePart, bytes: Buffer.alloc(1024) });
}

describe("fault injection through the handler", () => {
  it("rpcError answers the error instead of running the method, and is journalled as an error", async () => {
    const h = new Harness();
    h.faults.inject("upload.saveFilePart", { rpcError: { code: 420, message: "FLOOD_WAIT_3" } });
    assert.deepEqual(await h.call(part(0)), { kind: "error", code: 420, message: "FLOOD_WAIT_3" });
    assert.deepEqual(h.world.pendingUploads("1000001"), [], "the method did not run");
    assert.equal((await h.call(part(0))).kind, "result", "times defaults to 1");
    const outcomes = h.journal.entries().map((entry) => [entry.outcome, entry.error?.message]);
    assert.deepEqual(outcomes, [
      ["error", "FLOOD_WAIT_3"],
      ["result", undefined],
    ]);
  });

  it("skip lets N matching calls through first, then drops (drop mid-upload)", async () => {
    const h = new Harness();
    h.faults.inject("upload.saveFilePart", { drop: true }, { skip: 2 });
    const kinds = [];
    for (let index = 0; index < 4; index++) kinds.push((await h.call(part(index))).kind);
    assert.deepEqual(kinds, ["result", "result", "drop", "result"]);
    assert.deepEqual(
      h.journal.ofMethod("upload.saveFilePart").map((entry) => entry.outcome),
      ["result", "result", "drop", "result"],
    );
  });

  it("silent never answers, and only the named method is affected", async () => {
    const h = new Harness();
    h.faults.inject("users.getFullUser", { silent: true }, { times: Infinity });
    assert.equal((await h.call(part(0))).kind, "result");
    const full = new Api.users.GetFullUser({ id: new Api.InputUserSelf() });
    assert.equal((await h.call(full)).kind, "silent");
    assert.equal((await h.call(full)).kind, "silent");
    assert.equal(h.journal.count("users.getFullUser"), 2);
    assert.ok(h.journal.ofMethod("users.getFullUser").every((entry) => entry.outcome === "silent"));
    h.faults.clear();
    assert.equal((await h.call(full)).kind, "result");
  });

  it("delayMs answers normally after the delay", async () => {
    const h = new Harness();
    h.faults.inject("help.getConfig", { delayMs: 60 });
    const started = Date.now();
    const outcome = await h.call(new Api.help.GetConfig());
    assert.equal(outcome.kind, "result");
    assert.ok(Date.now() - started >= 55, "waited for the delay");
    assert.equal(h.journal.ofMethod("help.getConfig")[0]?.outcome, "result");
  });

  it("closing the handler ends pending delays as drops", async () => {
    const h = new Harness();
    h.faults.inject("help.getConfig", { delayMs: 60_000 });
    const pending = h.call(new Api.help.GetConfig());
    h.handler.close();
    assert.equal((await pending).kind, "drop");
  });

  it("times counts matching calls; rules for one method apply in injection order", async () => {
    const h = new Harness();
    h.faults.inject("upload.saveFilePart", { rpcError: { code: 500, message: "INTERNAL" } }, { times: 2 });
    h.faults.inject("upload.saveFilePart", { drop: true });
    const kinds = [];
    for (let index = 0; index < 4; index++) kinds.push((await h.call(part(index))).kind);
    assert.deepEqual(kinds, ["error", "error", "drop", "result"]);
  });
});

describe("ScriptedFaultInjector options", () => {
  it("rejects nonsense counts", () => {
    const faults = new ScriptedFaultInjector();
    assert.throws(() => faults.inject("m", { drop: true }, { times: 0 }), RangeError);
    assert.throws(() => faults.inject("m", { drop: true }, { times: 1.5 }), RangeError);
    assert.throws(() => faults.inject("m", { drop: true }, { skip: -1 }), RangeError);
    assert.throws(() => faults.inject("m", { delayMs: -5 }), RangeError);
  });
});
