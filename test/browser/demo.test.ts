import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { demoRoutes } from "../../src/demo/demo-routes.js";
import type { SandboxUser } from "../../src/sandbox/index.js";
import { startGateway } from "../support/start-gateway.js";
import type { StartedGateway } from "../support/start-gateway.js";
import { launchChromium, skipUnlessChromium } from "./support/chromium.js";
import type { HeadlessChromium } from "./support/chromium.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../fixtures/paths.js";

// The demo page in real headless Chromium against the real gateway, GramJS and the sandbox DC.
// Full-page screenshots land in test/browser/__screenshots__/ (git-ignored; CI keeps them).
// DEMO_SCREENSHOT_TO_DOCS=1 also refreshes docs/demo.png, the README's picture.

const screenshotDir = fileURLToPath(new URL("./__screenshots__/", import.meta.url));
const docsScreenshot = fileURLToPath(new URL("../../docs/demo.png", import.meta.url));

function fullName(user: SandboxUser): string {
  return [user.firstName, user.lastName].filter(Boolean).join(" ");
}

async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${screenshotDir}${name}.png`;
  await page.screenshot({ path, fullPage: true, animations: "disabled", caret: "hide" });
  return path;
}

describe("demo page in Chromium against the sandbox gateway", { skip: skipUnlessChromium() }, () => {
  let started: StartedGateway;
  let chromium: HeadlessChromium;
  let demoUrl: string;
  const pageErrors: Error[] = [];

  before(async () => {
    await mkdir(screenshotDir, { recursive: true });
    started = await startGateway();
    // The harness has no extraRoutes option yet; /demo never collides with /graphql, so adding it last is equivalent.
    started.gateway.app.use(demoRoutes({ enabled: true }));
    demoUrl = new URL("/demo", started.url).href;
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await started?.close();
  });

  afterEach(() => {
    // Every test, not only those that check it themselves; cleared so one failure is reported once.
    const errors = pageErrors.splice(0);
    assert.deepEqual(errors, [], "no uncaught script errors in the page");
  });

  async function openDemo(options: { fakeClock?: boolean } = {}): Promise<Page> {
    for (const open of chromium.context.pages()) await open.close();
    const page = await chromium.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error));
    if (options.fakeClock) await page.clock.install();
    await page.goto(demoUrl);
    await page
      .locator("#contacts-status")
      .filter({ hasText: /contacts?\./ })
      .waitFor();
    return page;
  }

  function contactButton(page: Page, user: SandboxUser) {
    return page.locator(`.contact[data-user-id="${user.id}"]`);
  }

  function firstContact(index: number): SandboxUser {
    const contact = started.contacts[index];
    assert.ok(contact, `the sandbox seeds at least ${index + 1} contacts`);
    return contact;
  }

  test("lists the signed-in account and its contacts", async () => {
    const page = await openDemo();
    assert.match(
      await page.locator("#me").innerText(),
      new RegExp(`Signed in as ${fullName(started.self)}.*id ${started.self.id}`),
    );
    for (const contact of started.contacts) {
      assert.match(await contactButton(page, contact).innerText(), new RegExp(fullName(contact)));
    }
    for (const stranger of started.strangers) {
      assert.equal(await contactButton(page, stranger).count(), 0, "strangers are not listed");
    }
    await screenshot(page, "01-contacts");
    assert.deepEqual(pageErrors, []);
  });

  test("sets a photo for a contact: the result shows the stored photo and the list updates", async () => {
    const alice = firstContact(0);
    const page = await openDemo();
    await contactButton(page, alice).click();
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.locator("#preview-image").waitFor({ state: "visible" });
    await page.getByRole("button", { name: "Set photo" }).click();

    await page.getByRole("heading", { name: "Photo set" }).waitFor();
    const photoId = await page.locator("[data-photo-id]").getAttribute("data-photo-id");
    assert.match(photoId ?? "", /^\d+$/, "a numeric Telegram photo id");
    assert.match(
      await page.locator("#result").innerText(),
      new RegExp(`Only you see this photo for ${fullName(alice)}`),
    );
    // The list is reloaded from the gateway: the contact now has that personal photo.
    await contactButton(page, alice).getByText(`Personal photo ${photoId}`).waitFor();
    assert.equal(started.dc.journal.count("photos.uploadContactProfilePhoto"), 1);

    const path = await screenshot(page, "02-photo-set");
    if (process.env.DEMO_SCREENSHOT_TO_DOCS === "1") await copyFile(path, docsScreenshot);
    assert.deepEqual(pageErrors, []);
  });

  /** Waits until the element shows real pixels served by the gateway, and returns its src. */
  async function loadedPicture(page: Page, selector: string): Promise<string> {
    const element = page.locator(selector).first();
    await element.waitFor();
    await page.waitForFunction(
      (el) => {
        // Runs in the page: a decoded picture, or a video with a frame to show.
        const media = el as unknown as {
          tagName: string;
          complete?: boolean;
          naturalWidth?: number;
          readyState?: number;
          videoWidth?: number;
        };
        return media.tagName === "IMG"
          ? media.complete === true && (media.naturalWidth ?? 0) > 0
          : (media.readyState ?? 0) >= 2 && (media.videoWidth ?? 0) > 0;
      },
      await element.elementHandle(),
    );
    const src = (await element.getAttribute("src")) ?? "";
    assert.match(src, /^\/media\/users\/\d+\/photos\/\d+\/[a-z]\?expires=\d+&signature=/);
    return src;
  }

  test("shows the set photo as a loaded image in the result, the list, and after a reload", async () => {
    const alice = firstContact(0);
    const page = await openDemo();
    await contactButton(page, alice).click();
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByRole("heading", { name: "Photo set" }).waitFor();
    await loadedPicture(page, "#result img.result-thumb");
    await loadedPicture(page, `.contact[data-user-id="${alice.id}"] img.avatar`);

    await page.reload();
    await page
      .locator("#contacts-status")
      .filter({ hasText: /contacts?\./ })
      .waitFor();
    const src = await loadedPicture(page, `.contact[data-user-id="${alice.id}"] img.avatar`);
    const served = await fetch(new URL(src, started.url));
    const [, photoId, sizeType] = /photos\/(\d+)\/([a-z])/.exec(src) ?? [];
    const stored = started.dc.world.photoFile(photoId ?? "", sizeType ?? "");
    assert.ok(stored && Buffer.from(await served.arrayBuffer()).equals(stored.bytes), "the DC's bytes");
    await screenshot(page, "02b-photo-after-reload");
  });

  test("plays a video avatar in the list after a reload", async () => {
    const carol = firstContact(2);
    const page = await openDemo();
    await contactButton(page, carol).click();
    await page.getByLabel("Image or video").setInputFiles(MP4_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();
    await page.getByRole("heading", { name: "Photo set" }).waitFor();
    await loadedPicture(page, "#result video.result-thumb");
    await page.reload();
    await page
      .locator("#contacts-status")
      .filter({ hasText: /contacts?\./ })
      .waitFor();
    await loadedPicture(page, `.contact[data-user-id="${carol.id}"] video.avatar`);
  });

  test("suggests a video to a contact", async () => {
    const bob = firstContact(1);
    const page = await openDemo();
    await page.getByLabel("User", { exact: true }).fill(`@${bob.username}`);
    await page.getByLabel("Suggest to them").check();
    await page.getByLabel("Image or video").setInputFiles(MP4_FIXTURE);
    await page.getByLabel("Preview frame (seconds into the video)").fill("0.5");
    await page.getByRole("button", { name: "Suggest photo" }).click();

    await page.getByRole("heading", { name: "Suggestion sent" }).waitFor();
    const text = await page.locator("#result").innerText();
    assert.match(text, /their photo changes only if they accept it/);
    assert.match(text, /Animated/);
    await screenshot(page, "03-video-suggested");
  });

  test("a non-contact gets the CONTACT_MISSING message in plain words", async () => {
    const stranger = started.strangers[0];
    assert.ok(stranger?.username, "the sandbox seeds a stranger with a username");
    const page = await openDemo();
    await page.getByLabel("User", { exact: true }).fill(`@${stranger.username}`);
    await page.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await page.getByRole("button", { name: "Set photo" }).click();

    await page.getByRole("heading", { name: /Not a contact/ }).waitFor();
    assert.equal(await page.locator(".result-card").getAttribute("data-code"), "CONTACT_MISSING");
    assert.match(
      await page.locator("#result").innerText(),
      new RegExp(`@${stranger.username} is not in your contacts`),
    );
    await screenshot(page, "04-contact-missing");
  });

  test("FLOOD_WAIT shows a live countdown and blocks sending until it ends", async () => {
    const carol = firstContact(2);
    started.dc.faults.inject("photos.uploadContactProfilePhoto", {
      rpcError: { code: 420, message: "FLOOD_WAIT_5" },
    });
    // Fake timers in the page only: the countdown advances when the test says so, never by racing real time.
    const demo = await openDemo({ fakeClock: true });
    await contactButton(demo, carol).click();
    await demo.getByLabel("Image or video").setInputFiles(JPEG_FIXTURE);
    await demo.getByRole("button", { name: "Set photo" }).click();

    const timer = demo.getByRole("timer");
    await timer.filter({ hasText: "Try again in 5 s" }).waitFor();
    const floodedAt = Date.now();
    assert.match(
      await demo.locator("#result").innerText(),
      /Telegram asks to wait 5 seconds before trying again/,
    );
    assert.equal(await demo.getByRole("button", { name: "Set photo" }).isDisabled(), true);
    await screenshot(demo, "05-flood-wait");

    await demo.clock.runFor(2_000);
    await timer.filter({ hasText: "Try again in 3 s" }).waitFor();
    await demo.clock.runFor(3_000);
    await timer.filter({ hasText: "You can try again now." }).waitFor();
    assert.equal(await demo.getByRole("button", { name: "Set photo" }).isEnabled(), true);
    // The gateway remembers Telegram's FLOOD_WAIT for the real 5 s (the page's clock is fake): the
    // next scenarios must not meet it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, floodedAt + 5_100 - Date.now())));
  });

  test("removes the personal photo again", async () => {
    const alice = firstContact(0);
    const page = await openDemo();
    await contactButton(page, alice)
      .getByText(/Personal photo \d+/)
      .waitFor();
    await contactButton(page, alice).click();
    await page.getByLabel("Remove").check();
    await page.getByRole("button", { name: "Remove photo" }).click();
    await page.getByRole("heading", { name: "Photo removed" }).waitFor();
    await contactButton(page, alice).getByText("No personal photo").waitFor();
  });
});
