/**
 * The fuzzer, bounded for `npm test`: a fixed seed and a fixed number of generated hostile
 * requests per family against `src/index.ts` running as a process (production settings, its
 * embedded sandbox DC). After every case the gateway must be alive, have answered JSON with a
 * 2xx/4xx (or closed a refused connection), hold no upload slot, have made no Telegram call for
 * a refused request, and still accept a valid upload. `npm run fuzz` runs the same for longer.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FUZZ_LIMITS } from "./fuzz-limits.js";
import { FAMILIES, runFuzz } from "./hostile-properties.js";
import { FuzzTarget } from "./support/fuzz-target.js";

const SEED = 20_261_130;
const CASES_PER_FAMILY = 40;
/** Keeps the whole file under a minute on a loaded machine; the case count is the usual bound. */
const TIME_LIMIT_PER_FAMILY_MS = 14_000;

describe("hostile HTTP against the gateway as it ships (fixed seed)", () => {
  let target: FuzzTarget;
  before(async () => {
    target = await FuzzTarget.create(FUZZ_LIMITS);
  });
  after(async () => {
    await target?.stop();
  });

  for (const family of FAMILIES) {
    it(`${family}: every case leaves the gateway alive, answering, unwedged and still uploading`, async () => {
      const report = await runFuzz(target, {
        seed: SEED,
        cases: CASES_PER_FAMILY,
        timeLimitMs: TIME_LIMIT_PER_FAMILY_MS,
        families: [family],
      });
      assert.ok(!report.failed, `seed ${report.seed}, after ${report.casesRun} cases:\n${report.message}`);
      assert.ok(
        report.casesRun >= 10,
        `only ${report.casesRun} cases ran within ${TIME_LIMIT_PER_FAMILY_MS} ms`,
      );
    });
  }
});
