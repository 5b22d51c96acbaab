/**
 * The fuzzer's properties, shared by the bounded run in `npm test` and the long `npm run fuzz`:
 * for every generated request of a family, `checkHostileRequest` finds no violation.
 */
import fc from "fast-check";
import { framingCaseArb } from "./arbitraries/http-framing.js";
import { graphqlCaseArb } from "./arbitraries/graphql-documents.js";
import { multipartCaseArb } from "./arbitraries/multipart-bodies.js";
import { checkHostileRequest, type HostileCase } from "./check-hostile-request.js";
import type { FuzzLimits } from "./fuzz-limits.js";
import type { FuzzTarget } from "./support/fuzz-target.js";

export type Family = HostileCase["family"];
export const FAMILIES: readonly Family[] = ["multipart", "graphql", "http"];

export function caseArb(
  limits: FuzzLimits,
  families: readonly Family[] = FAMILIES,
): fc.Arbitrary<HostileCase> {
  const byFamily: Record<Family, fc.Arbitrary<HostileCase>> = {
    multipart: multipartCaseArb(limits),
    graphql: graphqlCaseArb(limits),
    http: framingCaseArb,
  };
  return fc.oneof(...families.map((family) => byFamily[family]));
}

export interface FuzzRun {
  seed: number;
  /** Stop after this many cases. */
  cases: number;
  /** Stop generating new cases (and shrinking) after this long. */
  timeLimitMs?: number;
  families?: readonly Family[];
  /** Called after every case, with how many ran so far. */
  onCase?: (casesRun: number) => void;
}

export interface FuzzReport {
  seed: number;
  casesRun: number;
  failed: boolean;
  /** fast-check's report: the shrunk counterexample, its path and the violations. */
  message: string;
  /** Gateway processes started (more than one: a case killed the gateway). */
  gatewayStarts: number;
}

/**
 * fast-check's time limit abandons the case in flight rather than waiting for it; its requests
 * (and the valid upload after it) would then land in the next run's measurements. Every case
 * goes through here so the caller can wait for the last one.
 */
class CaseTracker {
  private last: Promise<unknown> = Promise.resolve();

  check(target: FuzzTarget, model: HostileCase): Promise<string[]> {
    const running = checkHostileRequest(target, model);
    this.last = running.catch(() => undefined);
    return running;
  }

  settled(): Promise<unknown> {
    return this.last;
  }
}

export async function runFuzz(target: FuzzTarget, run: FuzzRun): Promise<FuzzReport> {
  let casesRun = 0;
  const cases = new CaseTracker();
  const property = fc.asyncProperty(caseArb(target.limits, run.families), async (model) => {
    const problems = await cases.check(target, model);
    casesRun += 1;
    run.onCase?.(casesRun);
    if (problems.length > 0) throw new Error(problems.join("\n"));
  });
  const details = await fc.check(property, {
    seed: run.seed,
    numRuns: run.cases,
    ...(run.timeLimitMs === undefined
      ? {}
      : { interruptAfterTimeLimit: run.timeLimitMs, markInterruptAsFailure: false }),
    // A failing case is replayed many times while shrinking; each replay is a real request.
    endOnFailure: false,
  });
  await cases.settled();
  return {
    seed: run.seed,
    casesRun,
    failed: details.failed,
    message: [
      fc.defaultReportMessage(details) ?? "",
      details.errorInstance instanceof Error ? details.errorInstance.message : "",
    ]
      .filter((text) => text !== "")
      .join("\n"),
    gatewayStarts: target.starts,
  };
}

/** One kind of violation seen while surveying, with the smallest case that showed it. */
export interface SurveyFinding {
  /** The violation's first line with numbers blanked, so repeats of one bug group together. */
  signature: string;
  occurrences: number;
  /** The full violation text of the smallest case. */
  violation: string;
  smallestCase: HostileCase;
}

export interface SurveyReport extends Omit<FuzzReport, "failed" | "message"> {
  findings: SurveyFinding[];
}

/**
 * Like `runFuzz`, but never stops at a violation: every case runs, violations are grouped by
 * signature and the smallest case of each is kept. Answers "what is still wrong, and how often"
 * in one long run, where `runFuzz` stops at the first bug and shrinks it.
 */
export async function surveyFuzz(target: FuzzTarget, run: FuzzRun): Promise<SurveyReport> {
  let casesRun = 0;
  const findings = new Map<string, SurveyFinding & { size: number }>();
  const cases = new CaseTracker();
  const property = fc.asyncProperty(caseArb(target.limits, run.families), async (model) => {
    const problems = await cases.check(target, model);
    casesRun += 1;
    run.onCase?.(casesRun);
    const size = JSON.stringify(model).length;
    for (const violation of problems) {
      const signature = (violation.split("\n")[0] ?? "").replace(/\d+/g, "N").slice(0, 120);
      const known = findings.get(signature);
      if (known === undefined)
        findings.set(signature, { signature, occurrences: 1, violation, smallestCase: model, size });
      else {
        known.occurrences += 1;
        if (size < known.size) Object.assign(known, { violation, smallestCase: model, size });
      }
    }
  });
  await fc.check(property, {
    seed: run.seed,
    numRuns: run.cases,
    ...(run.timeLimitMs === undefined
      ? {}
      : { interruptAfterTimeLimit: run.timeLimitMs, markInterruptAsFailure: false }),
  });
  await cases.settled();
  return {
    seed: run.seed,
    casesRun,
    gatewayStarts: target.starts,
    findings: [...findings.values()].map(({ size: _size, ...finding }) => finding),
  };
}
