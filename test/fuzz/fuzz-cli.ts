/**
 * `npm run fuzz`: the hostile-HTTP properties for as long as asked, against a fresh gateway
 * process. Prints the seed (replay a run with `--seed`), the cases run and what was found.
 *
 *   npm run fuzz                                  10 minutes, a random seed, stop at the first bug
 *   npm run fuzz -- --duration 60 --seed 42       one minute, replayable
 *   npm run fuzz -- --cases 500 --family multipart
 *   npm run fuzz -- --keep-going                  run on after violations, group them by kind
 *
 * The same settings may come from FUZZ_DURATION_S, FUZZ_CASES, FUZZ_SEED and FUZZ_FAMILIES.
 */
import { parseArgs } from "node:util";
import { FUZZ_LIMITS } from "./fuzz-limits.js";
import { FAMILIES, runFuzz, surveyFuzz, type Family, type FuzzRun } from "./hostile-properties.js";
import { FuzzTarget } from "./support/fuzz-target.js";

function numberOption(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`--${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function familiesOption(raw: string | undefined): Family[] {
  if (raw === undefined || raw === "") return [...FAMILIES];
  const families = raw.split(",").map((name) => name.trim());
  for (const family of families) {
    if (!(FAMILIES as readonly string[]).includes(family))
      throw new RangeError(`unknown family "${family}" (known: ${FAMILIES.join(", ")})`);
  }
  return families as Family[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: "string" },
      cases: { type: "string" },
      seed: { type: "string" },
      family: { type: "string" },
      "keep-going": { type: "boolean", default: false },
    },
    strict: true,
  });
  const env = process.env;
  const durationS = numberOption(values.duration ?? env["FUZZ_DURATION_S"], "duration", 600);
  const cases = numberOption(values.cases ?? env["FUZZ_CASES"], "cases", Number.MAX_SAFE_INTEGER);
  const seed = Math.trunc(
    numberOption(values.seed ?? env["FUZZ_SEED"], "seed", Math.floor(Math.random() * 2 ** 31)),
  );
  const families = familiesOption(values.family ?? env["FUZZ_FAMILIES"]);

  console.log(
    `fuzzing ${families.join(", ")} for ${durationS} s (at most ${cases === Number.MAX_SAFE_INTEGER ? "unlimited" : cases} cases), seed ${seed}`,
  );
  const target = await FuzzTarget.create(FUZZ_LIMITS);
  const started = Date.now();
  let lastProgress = started;
  const run: FuzzRun = {
    seed,
    cases,
    timeLimitMs: durationS * 1000,
    families,
    onCase: (casesRun) => {
      if (Date.now() - lastProgress < 30_000) return;
      lastProgress = Date.now();
      console.log(`  ${casesRun} cases after ${Math.round((lastProgress - started) / 1000)} s`);
    },
  };
  try {
    if (values["keep-going"]) {
      const report = await surveyFuzz(target, run);
      console.log(
        `\n${report.casesRun} cases run in ${Math.round((Date.now() - started) / 1000)} s, seed ${seed}, ${report.gatewayStarts} gateway process(es) started`,
      );
      for (const finding of report.findings) {
        console.log(
          `\n[${finding.occurrences}x] ${finding.violation}\n  smallest case: ${JSON.stringify(finding.smallestCase)}`,
        );
      }
      console.log(
        report.findings.length === 0
          ? "no violation found"
          : `${report.findings.length} kind(s) of violation found`,
      );
      return report.findings.length === 0 ? 0 : 1;
    }
    const report = await runFuzz(target, run);
    console.log(
      `\n${report.casesRun} cases run in ${Math.round((Date.now() - started) / 1000)} s, seed ${seed}, ${report.gatewayStarts} gateway process(es) started`,
    );
    console.log(report.failed ? report.message : "no violation found");
    return report.failed ? 1 : 0;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
