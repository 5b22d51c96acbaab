import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchChromium, skipUnlessChromium } from "./support/chromium.js";
import type { HeadlessChromium } from "./support/chromium.js";
import { startStubGateway } from "./support/stub-gateway.js";
import type { StubGateway, StubRequest, StubReply } from "./support/stub-gateway.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../fixtures/paths.js";

// The page against a canned /graphql: checks what the page sends and how it words answers
// the real gateway rarely gives. demo.test.ts runs the real flows against the real gateway.

const screenshotDir = fileURLToPath(new URL("./__screenshots__/", import.meta.url));

const me = { id: "100", username: "sandbox_self", firstName: "Sam", lastName: "Self" };
const alice = {
  id: "201",
  username: "alice_contact",
  firstName: "Alice",
  lastName: "Contact",
  isContact: true,
  personalPhoto: null,
};
const storedPhoto = {
  id: "5000000000000000001",
  date: "2026-11-25T12:00:00.000Z",
  isAnimated: false,
  sizes: [
    { type: "a", width: 160, height: 160, bytes: null },
    { type: "c", width: 640, height: 640, bytes: null },
  ],
  videoSizes: [],
};

function contactsReply(personalPhoto: typeof storedPhoto | null): StubReply {
  return {
    body: {
      data: {
        me,
        contacts: { totalCount: 1, edges: [{ node: { ...alice, personalPhoto } }] },
      },
    },
  };
}

function graphqlError(code: string, message: string, status: number): StubReply {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/** Answers the contacts query; every other operation gets `mutationReply`. */
function respondWithMutation(mutationReply: (request: StubRequest) => StubReply, photoAfter = storedPhoto) {
  let mutated = false;
  return (request: StubRequest): StubReply => {
    if (request.operationName === "DemoContacts") return contactsReply(mutated ? photoAfter : null);
    mutated = true;
    return mutationReply(request);
  };
}

async function openDemo(page: Page, gateway: StubGateway): Promise<void> {
  await page.goto(`${gateway.url}/demo`);
  await page.getByText("Alice Contact").waitFor();
}

describe("demo page (stub /graphql)", { skip: skipUnlessChromium() }, () => {
  let chromium: HeadlessChromium;
  let gateway: StubGateway;
  let page: Page;
  const pageErrors: Error[] = [];

  before(async () => {
    await mkdir(screenshotDir, { recursive: true });
    chromium = await launchChromium();
    gateway = await startStubGateway(
      respondWithMutation(() => graphqlError("INTERNAL_SERVER_ERROR", "unset", 500)),
    );
  });

  after(async () => {
    await chromium?.close();
    await gateway?.close();
  });

  beforeEach(async () => {
    gateway.requests.length = 0;
    pageErrors.length = 0;
    for (const open of chromium.context.pages()) await open.close();
    page = await chromium.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error));
  });

  afterEach(() => {
    assert.deepEqual(pageErrors, [], "no uncaught script errors in the page");
  });

  test("lists the contacts and the signed-in account, with no script errors", async () => {
    gateway.respondWith(respondWithMutation(() => graphqlError("INTERNAL_SERVER_ERROR", "unused", 500)));
    await openDemo(page, gateway);
    assert.match(await page.locator("#me").innerText(), /Signed in as Sam Self \(@sandbox_self\), id 100/);
    assert.match(await page.locator("#contacts-status").innerText(), /1 of 1 contact\./);
    assert.match(await page.locator(".contact").innerText(), /No personal photo/);
    const [contactsRequest] = gateway.requests;
    assert.equal(contactsRequest?.headers["apollo-require-preflight"], "true");
    assert.deepEqual(pageErrors, []);
  });

  test("sends a multipart request with the preflight header and shows the stored photo", async () => {
    gateway.respondWith(
      respondWithMutation(() => ({
        body: {
          data: {
            setContactPhoto: {
              __typename: "ContactPhotoPayload",
              suggested: false,
              photo: storedPhoto,
              user: alice,
            },
          },
        },
      })),
    );
    await openDemo(page, gateway);
    await page.getByRole("button", { name: /Alice Contact/ }).click();
    assert.equal(await page.getByLabel("User", { exact: true }).inputValue(), "@alice_contact");
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.locator("#preview-image").waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Set photo" }).click();

    await page.getByRole("heading", { name: "Photo set" }).waitFor();
    assert.match(await page.locator("#result").innerText(), /Photo id\s+5000000000000000001/);
    assert.match(await page.locator("#result").innerText(), /a 160×160, c 640×640/);
    await page.getByText("Personal photo 5000000000000000001").waitFor();

    const upload = gateway.requests.find((request) => request.operationName === "DemoSetContactPhoto");
    assert.ok(upload, "the page sent the set mutation");
    assert.match(upload.contentType, /^multipart\/form-data; boundary=/);
    assert.equal(upload.headers["apollo-require-preflight"], "true");
    assert.match(upload.body, /name="map"\r\n\r\n\{"0":\["variables\.input\.photo"\]\}/);
    assert.match(upload.body, /"variables":\{"input":\{"userId":"@alice_contact","photo":null\}\}/);
    assert.match(upload.body, /name="0"; filename="contact-512\.jpg"\r\nContent-Type: image\/jpeg/);
    assert.deepEqual(pageErrors, []);
  });

  test("a video goes in input.video with the preview frame time", async () => {
    gateway.respondWith(
      respondWithMutation(() => ({
        body: {
          data: {
            suggestContactPhoto: {
              __typename: "ContactPhotoPayload",
              suggested: true,
              photo: {
                ...storedPhoto,
                isAnimated: true,
                videoSizes: [
                  { __typename: "VideoSizeVideo", type: "u", width: 512, height: 512, videoStartTs: 1.5 },
                ],
              },
              user: alice,
            },
          },
        },
      })),
    );
    await openDemo(page, gateway);
    await page.getByLabel("User", { exact: true }).fill("201");
    await page.getByLabel("Suggest to them").check();
    await page.getByLabel("Image or video").setInputFiles(MP4_FIXTURE);
    await page.locator("#preview-video").waitFor({ state: "visible" });
    await page.getByLabel("Preview frame (seconds into the video)").fill("1.5");
    await page.getByRole("button", { name: "Suggest photo" }).click();

    await page.getByRole("heading", { name: "Suggestion sent" }).waitFor();
    assert.match(await page.locator("#result").innerText(), /their photo changes only if they accept it/);
    assert.match(await page.locator("#result").innerText(), /u 512×512 from 1\.5 s/);
    const upload = gateway.requests.find((request) => request.operationName === "DemoSuggestContactPhoto");
    assert.ok(upload);
    assert.match(upload.body, /\{"0":\["variables\.input\.video"\]\}/);
    assert.match(upload.body, /"input":\{"userId":"201","video":null,"videoStartTs":1\.5\}/);
  });

  test("remove sends JSON without a file", async () => {
    gateway.respondWith(
      respondWithMutation(() => ({
        body: { data: { removeContactPhoto: { __typename: "RemoveContactPhotoPayload", user: alice } } },
      })),
    );
    await openDemo(page, gateway);
    await page.getByLabel("User", { exact: true }).fill("201");
    await page.getByLabel("Remove").check();
    assert.equal(await page.getByLabel("Image or video").isVisible(), false);
    await page.getByRole("button", { name: "Remove photo" }).click();
    await page.getByRole("heading", { name: "Photo removed" }).waitFor();
    const removal = gateway.requests.find((request) => request.operationName === "DemoRemoveContactPhoto");
    assert.ok(removal);
    assert.match(removal.contentType, /^application\/json/);
    assert.equal(JSON.parse(removal.body).variables.userId, "201");
  });

  test("asks for a user and a file before sending anything", async () => {
    await openDemo(page, gateway);
    const before = gateway.requests.length;
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByText("Pick a contact or type a numeric id or @username.").waitFor();
    assert.equal(await page.getByLabel("User", { exact: true }).getAttribute("aria-invalid"), "true");
    await page.getByLabel("User", { exact: true }).fill("@alice_contact");
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByText("Pick an image or a video to send.").waitFor();
    assert.equal(gateway.requests.length, before);
  });

  test("words top-level errors: PAYLOAD_TOO_LARGE (413)", async () => {
    gateway.respondWith(
      respondWithMutation(() =>
        graphqlError("PAYLOAD_TOO_LARGE", "File exceeds the 10485760 byte limit", 413),
      ),
    );
    await openDemo(page, gateway);
    await page.getByLabel("User", { exact: true }).fill("@alice_contact");
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByRole("heading", { name: /File too large/ }).waitFor();
    assert.equal(await page.locator(".result-card").getAttribute("data-code"), "PAYLOAD_TOO_LARGE");
    assert.match(await page.locator("#result").innerText(), /larger than this gateway accepts/);
  });

  test("UNAUTHENTICATED asks for a token; the token is sent as a bearer and kept in sessionStorage", async () => {
    gateway.respondWith((request) =>
      request.headers.authorization === "Bearer s3cret"
        ? contactsReply(null)
        : graphqlError("UNAUTHENTICATED", "missing or invalid bearer token", 401),
    );
    await page.goto(`${gateway.url}/demo`);
    await page.getByText(/Access token needed/).waitFor();
    assert.equal(
      await page.locator("details#settings").getAttribute("open"),
      "",
      "settings open by themselves",
    );
    await page.getByLabel(/Access token/).fill("s3cret");
    await page.getByLabel(/Access token/).press("Enter");
    await page.getByText("Alice Contact").waitFor();
    assert.equal(await page.evaluate(`sessionStorage.getItem("contact-photo-gateway.demo.token")`), "s3cret");
    assert.equal(gateway.requests.at(-1)?.headers.authorization, "Bearer s3cret");
  });

  test("FLOOD_WAIT counts down, blocks sending, then allows it again", async () => {
    gateway.respondWith(
      respondWithMutation(() => ({
        body: {
          data: {
            setContactPhoto: {
              __typename: "FloodWaitError",
              code: "FLOOD_WAIT",
              message: "A wait of 30 seconds is required",
              retryAfterSeconds: 30,
            },
          },
        },
      })),
    );
    // A fake clock makes the countdown deterministic: no real waiting, no race with the ticks.
    await page.clock.install();
    await openDemo(page, gateway);
    await page.getByLabel("User", { exact: true }).fill("@alice_contact");
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    const timer = page.getByRole("timer");
    await timer.filter({ hasText: "Try again in 30 s" }).waitFor();
    assert.match(
      await page.locator("#result").innerText(),
      /Telegram asks to wait 30 seconds before trying again/,
    );
    assert.equal(await page.getByRole("button", { name: "Set photo" }).isDisabled(), true);

    await page.clock.runFor(10_000);
    await timer.filter({ hasText: "Try again in 20 s" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Set photo" }).isDisabled(), true);

    await page.clock.runFor(20_000);
    await timer.filter({ hasText: "You can try again now." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Set photo" }).isEnabled(), true);
  });

  test("an answer without a result is not mistaken for an unreachable gateway", async () => {
    gateway.respondWith(respondWithMutation(() => ({ body: { data: { setContactPhoto: null } } })));
    await openDemo(page, gateway);
    await page.getByLabel("User", { exact: true }).fill("@alice_contact");
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByRole("heading", { name: "Unexpected answer" }).waitFor();
    assert.match(await page.locator("#result").innerText(), /answered without a result/);
  });

  test("an unreachable gateway is said in plain words", async () => {
    await openDemo(page, gateway);
    await page.route("**/graphql", (route) => route.abort("connectionrefused"));
    await page.getByLabel("User", { exact: true }).fill("@alice_contact");
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByRole("heading", { name: /Gateway unreachable/ }).waitFor();
  });
});
