/**
 * One fuzz case, end to end: send the hostile request over raw TCP, then check what a gateway
 * that cannot be crashed, wedged or tricked into calling Telegram must show:
 *
 * 1. every answer is JSON (GraphQL-shaped for errors) with a 2xx or 4xx status, and no stack;
 *    a refused body may instead be met by a closed connection, never by silence;
 * 2. a connection the server keeps open after an honest request serves the next request right;
 * 3. no upload slot stays held or queued and no upload is still being read, while the client
 *    still holds its socket;
 * 4. a refused request made no Telegram call;
 * 5. the process is alive and a valid upload still succeeds.
 *
 * Returns the violations found (empty: the case passed).
 */
import { renderFraming, type FramingCase } from "./arbitraries/http-framing.js";
import { renderGraphql, type GraphqlCase } from "./arbitraries/graphql-documents.js";
import { renderRequest, writesFor } from "./arbitraries/http-request.js";
import { renderMultipart, type MultipartCase } from "./arbitraries/multipart-bodies.js";
import { telegramCallsBetween } from "./support/gateway-gauges.js";
import type { FuzzTarget } from "./support/fuzz-target.js";
import { exchange, reuse, type HttpAnswer } from "./support/raw-exchange.js";

export type HostileCase = MultipartCase | GraphqlCase | FramingCase;

/** How long slots may take to be given back after the exchange ended. */
const SETTLE_MS = 2_000;
const FOLLOW_UP = '{"query":"{ __typename }"}';
/** Routes that answer something other than JSON by design when they succeed. */
const NON_JSON_SUCCESS = /^\/(metrics|healthz|readyz|demo)\b/;

function rendered(
  model: HostileCase,
  target: FuzzTarget,
): ReturnType<typeof renderRequest> & { method: string; path: string } {
  const { head, body } =
    model.family === "multipart"
      ? renderMultipart(model, target.media)
      : model.family === "graphql"
        ? renderGraphql(model)
        : renderFraming(model);
  const request = renderRequest(head, body, model.framing, new URL(target.url).host);
  return { ...request, method: head.method, path: head.target.split("?")[0] ?? "" };
}

function answerProblems(answer: HttpAnswer, method: string, path: string): string[] {
  const problems: string[] = [];
  const text = answer.body.toString("utf8");
  const where = `${answer.status} ${answer.headers["content-type"] ?? "(no content-type)"}: ${text.slice(0, 300)}`;
  if (!((answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500))) {
    problems.push(`status is neither 2xx nor 4xx: ${where}`);
  }
  const bodyless = method === "HEAD" || answer.status === 204 || answer.status === 304;
  const jsonByDesign = !(answer.status < 300 && NON_JSON_SUCCESS.test(path));
  if (bodyless || !jsonByDesign) return problems;
  if (!/application\/(graphql-response\+)?json/.test(answer.headers["content-type"] ?? "")) {
    problems.push(`the answer is not JSON: ${where}`);
    return problems;
  }
  try {
    const json = JSON.parse(text) as { errors?: unknown; data?: unknown } | unknown[];
    if (
      answer.status >= 400 &&
      !Array.isArray(json) &&
      !(Array.isArray(json.errors) && json.errors.length > 0)
    ) {
      problems.push(`a ${answer.status} without errors[]: ${where}`);
    }
  } catch {
    problems.push(`the body does not parse as JSON: ${where}`);
  }
  if (/\n\s+at \S+ \(/.test(text)) problems.push(`the answer leaks a stack trace: ${where}`);
  return problems;
}

export async function checkHostileRequest(target: FuzzTarget, model: HostileCase): Promise<string[]> {
  await target.ensureRunning();
  try {
    return await check(target, model);
  } catch (error) {
    // Scraping /metrics or the valid upload failed: most likely the process has just died.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return [
      target.death() ?? `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

async function check(target: FuzzTarget, model: HostileCase): Promise<string[]> {
  const request = rendered(model, target);
  const { chunks, complete } = writesFor(request.bytes, model.send);
  const exchangeTimeoutMs = target.limits.requestTimeoutMs + target.limits.headersTimeoutMs + 3_000;
  const problems: string[] = [];
  const died = (): boolean => {
    const death = target.death();
    if (death !== null) problems.push(death);
    return death !== null;
  };

  const before = await target.gauges();
  const result = await exchange(target.url, {
    chunks,
    ending: model.send.ending,
    timeoutMs: exchangeTimeoutMs,
  });
  const first = result.answers[0];
  const socket = result.openSocket;
  try {
    if (died()) return problems;
    if (model.send.ending !== "reset") {
      if (first !== undefined) problems.push(...answerProblems(first, request.method, request.path));
      else if (result.timedOut)
        problems.push(`no answer and the connection still open after ${exchangeTimeoutMs} ms`);
    }

    const keepsConnection =
      first !== undefined &&
      socket !== null &&
      !socket.destroyed &&
      first.headers["connection"]?.toLowerCase() !== "close";
    if (keepsConnection && request.reusable && complete && model.send.ending === "wait") {
      const followUp = Buffer.from(
        `POST /graphql HTTP/1.1\r\nHost: ${new URL(target.url).host}\r\nContent-Type: application/json\r\nContent-Length: ${FOLLOW_UP.length}\r\n\r\n${FOLLOW_UP}`,
      );
      const next = await reuse(socket, followUp, exchangeTimeoutMs);
      const answer = next.answers[0];
      if (
        answer !== undefined &&
        !(answer.status === 200 && answer.body.toString().includes('"__typename":"Query"'))
      ) {
        problems.push(
          `the kept-alive connection answered the next request wrongly: ${answer.status} ${answer.body.toString().slice(0, 300)}`,
        );
      } else if (answer === undefined && next.timedOut) {
        problems.push("the kept-alive connection never answered the next request");
      }
    }

    if (died()) return problems;
    const settled = await target.settle(SETTLE_MS);
    if (settled.slotsActive !== 0 || settled.slotsQueued !== 0 || settled.uploadsInFlight !== 0) {
      problems.push(
        `${SETTLE_MS} ms after the exchange, with the client's socket ${socket !== null && !socket.destroyed ? "still open" : "closed"}: ` +
          `${settled.slotsActive} upload slot(s) held, ${settled.slotsQueued} queued, ${settled.uploadsInFlight} upload(s) being read`,
      );
    }
    // Node treats a client's FIN as the client going away (httpAllowHalfOpen is off), like a reset:
    // work already started may go on. Only a 4xx, or a close the client did not ask for, is a refusal.
    const refused =
      first === undefined
        ? result.closedByServer && model.send.ending === "wait"
        : model.send.ending !== "reset" && first.status >= 400 && first.status < 500 && first.status !== 429;
    const calls = telegramCallsBetween(before, settled);
    if (refused && Object.keys(calls).length > 0) {
      problems.push(
        `refused with ${first?.status ?? "a closed connection"}, yet Telegram was called: ${JSON.stringify(calls)}`,
      );
    }
  } finally {
    socket?.destroy();
  }

  if (died()) return problems;
  const uploadProblem = await target.validUploadProblem();
  if (uploadProblem !== null) problems.push(uploadProblem);
  died();
  return problems;
}
