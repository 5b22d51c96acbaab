/**
 * The gateway process the fuzzer aims at, with what every case needs around it: a fresh process
 * when the last case killed this one (so shrinking can replay a crash), the gauges, and the
 * upload a real client would send next, which must still work.
 */
import { readFile } from "node:fs/promises";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";
import type { MediaFixtures } from "../arbitraries/multipart-bodies.js";
import { gatewayEnvFor, type FuzzLimits } from "../fuzz-limits.js";
import { readGauges, type GatewayGauges } from "./gateway-gauges.js";
import { startGatewayProcess, type GatewayProcess } from "./gateway-process.js";

const VALID_UPLOAD_QUERY =
  "mutation ($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename ... on ContactPhotoError { code message } } }";
/** A contact of the sandbox account (README "Try it"). */
const CONTACT_ID = "1000002";

export class FuzzTarget {
  private process: GatewayProcess | null = null;
  /** Processes started so far; more than one means a case killed the gateway. */
  starts = 0;

  private constructor(
    readonly limits: FuzzLimits,
    readonly media: MediaFixtures,
  ) {}

  static async create(limits: FuzzLimits): Promise<FuzzTarget> {
    const [jpeg, mp4] = await Promise.all([readFile(JPEG_FIXTURE), readFile(MP4_FIXTURE)]);
    const target = new FuzzTarget(limits, { jpeg, mp4 });
    await target.ensureRunning();
    return target;
  }

  get gateway(): GatewayProcess {
    if (this.process === null) throw new Error("the gateway is not running");
    return this.process;
  }

  get url(): string {
    return this.gateway.url;
  }

  /** Starts a new gateway when there is none or the last one died. */
  async ensureRunning(): Promise<void> {
    if (this.process !== null && this.process.exit() === null) return;
    this.process = await startGatewayProcess({ env: gatewayEnvFor(this.limits) });
    this.starts += 1;
  }

  /** Null while the process lives; otherwise how it died and its last words. */
  death(): string | null {
    const ended = this.process?.exit() ?? null;
    if (ended === null) return null;
    return `the gateway process died (exit status ${ended.code})\n${this.gateway.outputTail()}`;
  }

  gauges(): Promise<GatewayGauges> {
    return readGauges(this.url);
  }

  /**
   * Polls until no upload slot is held or waited for and no upload is being read, or `withinMs`
   * passes; returns the last reading either way.
   */
  async settle(withinMs: number): Promise<GatewayGauges> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const gauges = await this.gauges();
      const idle = gauges.slotsActive === 0 && gauges.slotsQueued === 0 && gauges.uploadsInFlight === 0;
      if (idle || Date.now() >= deadline) return gauges;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The upload of the README, as Apollo Client's upload link sends it; returns a problem or null. */
  async validUploadProblem(): Promise<string | null> {
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({
        query: VALID_UPLOAD_QUERY,
        variables: { input: { userId: CONTACT_ID, photo: null } },
      }),
    );
    form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
    form.append("0", new Blob([this.media.jpeg], { type: "image/jpeg" }), "contact-512.jpg");
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "Apollo-Require-Preflight": "true" },
      body: form,
    });
    const text = await response.text();
    if (response.status === 200 && text.includes('"__typename":"ContactPhotoPayload"')) return null;
    return `a valid upload then failed: ${response.status} ${text.slice(0, 400)}`;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}
