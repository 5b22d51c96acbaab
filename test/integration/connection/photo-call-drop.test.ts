/**
 * The line drops while Telegram is working on `photos.uploadContactProfilePhoto`: Telegram did
 * the work, the answer is lost. The call must not run a second time (a contact would get two
 * suggestion messages); the gateway reads back what happened instead, and says "outcome unknown"
 * only when it cannot find out.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { mutate, sleep, SUGGEST, SET, timed, untilReady } from "./support.js";

const PHOTO_METHOD = "photos.uploadContactProfilePhoto";
/** How long the DC works on the photo call: the line is cut in the meantime. */
const DC_DELAY_MS = 1500;

describe("a dropped line during the photo call", () => {
  let gw: StartedGateway;

  before(async () => {
    gw = await startGateway({ relay: true });
  });
  after(async () => {
    await gw?.close();
  });
  beforeEach(async () => {
    gw.dc.journal.clear();
    gw.dc.faults.clear();
    await gw.relay!.restore();
    await untilReady(gw, 200, 15_000);
  });

  /** Starts `query`, cuts the line once the photo call reached the DC, restores it after `downMs`. */
  async function dropDuringPhotoCall(query: string, contactIndex: number, downMs: number) {
    gw.dc.faults.inject(PHOTO_METHOD, { delayMs: DC_DELAY_MS });
    const answer = timed(() => mutate(gw, query, undefined, contactIndex));
    await gw.dc.journal.waitFor((entry) => entry.method === "upload.saveFilePart", 10_000);
    const callsBefore = gw.dc.stats.rpcCalls;
    while (gw.dc.stats.rpcCalls === callsBefore) await sleep(5);
    gw.relay!.cut();
    await sleep(downMs);
    await gw.relay!.restore();
    return answer;
  }

  const suggestionsTo = (contactId: string) =>
    gw.dc.world.serviceMessages(gw.self.id).filter((message) => message.peerId === contactId);

  it("suggest: the contact gets exactly one suggestion and the client a success", async (t) => {
    const contact = gw.contacts[1]!;
    const before = suggestionsTo(contact.id).length;
    const { value, ms } = await dropDuringPhotoCall(SUGGEST, 1, 500);
    t.diagnostic(`suggest settled after a drop: answered in ${ms.toFixed(0)} ms`);
    assert.equal(value.body.data?.result.__typename, "ContactPhotoPayload", JSON.stringify(value.body));
    await sleep(DC_DELAY_MS);
    assert.equal(gw.dc.journal.count(PHOTO_METHOD), 1, "the photo call was sent once");
    assert.equal(suggestionsTo(contact.id).length, before + 1, "one suggestion message");
    assert.ok(gw.dc.journal.count("messages.getHistory") >= 1, "the outcome was read back");
  });

  it("set: the personal photo is read back instead of being set twice", async () => {
    const { value } = await dropDuringPhotoCall(SET, 0, 500);
    assert.equal(value.body.data?.result.__typename, "ContactPhotoPayload", JSON.stringify(value.body));
    await sleep(DC_DELAY_MS);
    assert.equal(gw.dc.journal.count(PHOTO_METHOD), 1, "the photo call was sent once");
    assert.ok(gw.dc.journal.count("users.getFullUser") >= 1, "the outcome was read back");
  });

  it("when the outcome cannot be read back, the answer is a typed OUTCOME_UNKNOWN, never a blind retry", async (t) => {
    const contact = gw.contacts[1]!;
    const before = suggestionsTo(contact.id).length;
    const { value, ms } = await dropDuringPhotoCall(SUGGEST, 1, 8000);
    t.diagnostic(`suggest with the line down for 8 s: answered in ${ms.toFixed(0)} ms`);
    const result = value.body.data?.result;
    assert.equal(result?.__typename, "OutcomeUnknownError", JSON.stringify(value.body));
    assert.equal(result?.code, "OUTCOME_UNKNOWN");
    await untilReady(gw, 200, 30_000);
    assert.equal(gw.dc.journal.count(PHOTO_METHOD), 1, "the photo call was sent once");
    assert.equal(suggestionsTo(contact.id).length, before + 1, "one suggestion message");
  });
});
