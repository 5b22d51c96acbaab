/**
 * Property: arbitrary and mutated unencrypted handshake frames sent to the real sandbox DC never
 * crash it, never get anything but a handshake answer or transport error -404 back (no stack, no
 * internal error), and a valid client still completes an exchange afterwards.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { HandshakeCtor } from "../../../src/sandbox/protocol/handshake/handshake-messages.js";
import { TlWriter } from "../../../src/sandbox/protocol/tl-writer.js";
import type { TransportName } from "../../../src/sandbox/transport/transport-codec.js";
import { RawClient, type Received } from "../protocol/raw-client.js";
import { HandshakeClient } from "../support/handshake-client.js";

const SEED = 20_261_130;
const RUNS = 100;
const QUIET_MS = 250;

const ANSWERS = new Set<number>([
  HandshakeCtor.resPQ,
  HandshakeCtor.serverDhParamsOk,
  HandshakeCtor.serverDhParamsFail,
  HandshakeCtor.dhGenOk,
  HandshakeCtor.dhGenRetry,
  HandshakeCtor.dhGenFail,
]);

type Template = "req_pq_multi" | "req_pq" | "req_DH_params" | "set_client_DH_params" | "random";
type Mutation =
  | { kind: "none" }
  | { kind: "flip"; at: number; mask: number }
  | { kind: "truncate"; to: number }
  | { kind: "append"; bytes: Uint8Array }
  | { kind: "length"; value: number }
  | { kind: "msg-id-zero" };

interface HostileFrame {
  transport: TransportName;
  /** Run a valid req_pq_multi first, so the frame can refer to a live exchange. */
  primed: boolean;
  template: Template;
  random: Uint8Array;
  mutations: Mutation[];
  /** Rewrite message_data_length to fit the mutated body, so the mutation reaches the TL reader. */
  fixLength: boolean;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: "none" }),
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.integer({ min: 0, max: 600 }),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), to: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant("length" as const), value: fc.oneof(fc.nat(1000), fc.constant(0xffffffff)) }),
  fc.constant<Mutation>({ kind: "msg-id-zero" }),
);

const frameArb: fc.Arbitrary<HostileFrame> = fc.record({
  transport: fc.constantFrom<TransportName>("full", "intermediate", "padded-intermediate", "abridged"),
  primed: fc.boolean(),
  template: fc.constantFrom<Template>(
    "req_pq_multi",
    "req_pq",
    "req_DH_params",
    "set_client_DH_params",
    "random",
  ),
  // fast-check favours short arrays; the second arm reaches lengths RSA data and g_b have.
  random: fc.oneof(
    fc.uint8Array({ maxLength: 32 }),
    fc.uint8Array({ minLength: 32, maxLength: 600, size: "max" }),
  ),
  mutations: fc.array(mutationArb, { maxLength: 3 }),
  fixLength: fc.boolean(),
});

/** The unencrypted message (header included) the template stands for. */
async function buildMessage(client: HandshakeClient, frame: HostileFrame): Promise<Buffer> {
  const res = frame.primed ? await client.reqPq() : null;
  let body: Buffer;
  switch (frame.template) {
    case "req_pq_multi":
    case "req_pq":
      body = new TlWriter()
        .uint(frame.template === "req_pq" ? HandshakeCtor.reqPq : HandshakeCtor.reqPqMulti)
        .raw(client.nonce)
        .toBuffer();
      break;
    case "req_DH_params": {
      const target = res ?? { nonce: client.nonce, serverNonce: Buffer.alloc(16), pq: 15n, fingerprints: [] };
      const encrypted = client.rsaPad(client.innerData(target, "p_q_inner_data_dc"));
      const writer = new TlWriter()
        .uint(HandshakeCtor.reqDhParams)
        .raw(target.nonce)
        .raw(target.serverNonce)
        .bytes(Buffer.from([0, 0, 0, 3]))
        .bytes(Buffer.from([0, 0, 0, 5]))
        .long(client.fingerprint)
        .bytes(encrypted);
      body = writer.toBuffer();
      break;
    }
    case "set_client_DH_params":
      body = new TlWriter()
        .uint(HandshakeCtor.setClientDhParams)
        .raw(client.nonce)
        .raw(res?.serverNonce ?? Buffer.alloc(16))
        .bytes(Buffer.from(frame.random.length > 0 ? frame.random : [1]))
        .toBuffer();
      break;
    case "random":
      body = Buffer.from(frame.random.subarray(0, frame.random.length - (frame.random.length % 4)));
  }
  const header = Buffer.alloc(20);
  header.writeBigUInt64LE(client.raw.nextMsgId(), 8);
  header.writeUInt32LE(body.length, 16);
  return Buffer.concat([header, body]);
}

function mutate(message: Buffer, mutation: Mutation): Buffer {
  const out = Buffer.from(message);
  switch (mutation.kind) {
    case "none":
      return out;
    case "flip":
      if (out.length > 0) out[mutation.at % out.length]! ^= mutation.mask;
      return out;
    case "truncate":
      return out.subarray(0, Math.min(out.length, mutation.to));
    case "append":
      return Buffer.concat([out, mutation.bytes]);
    case "length":
      if (out.length >= 20) out.writeUInt32LE(mutation.value, 16);
      return out;
    case "msg-id-zero":
      if (out.length >= 16) out.writeBigUInt64LE(0n, 8);
      return out;
  }
}

/** Transports frame whole 4-byte words; a mutation that breaks that is padded so it reaches the DC. */
function wordAligned(payload: Buffer): Buffer {
  const padding = (4 - (payload.length % 4)) % 4;
  return payload.length === 0 ? Buffer.alloc(4) : Buffer.concat([payload, Buffer.alloc(padding)]);
}

async function answersUntilQuiet(raw: RawClient): Promise<Received[]> {
  const received: Received[] = [];
  for (;;) {
    let next: Received | null;
    try {
      next = await raw.next(QUIET_MS);
    } catch {
      return received;
    }
    if (!next) return received;
    received.push(next);
  }
}

function violations(answers: Received[]): string[] {
  return answers.flatMap((answer) => {
    if (answer.kind === "transport-error")
      return answer.code === -404 ? [] : [`transport error ${answer.code}`];
    if (answer.kind === "plain") {
      const ctor = answer.body.length >= 4 ? answer.body.readUInt32LE(0) : -1;
      const text = answer.body.toString("latin1");
      if (/Error| {4}at /.test(text)) return ["an answer carries text that looks like a stack"];
      return ANSWERS.has(ctor) ? [] : [`unexpected answer #${ctor.toString(16)}`];
    }
    return ["an encrypted message on a connection that has no key"];
  });
}

describe("hostile unencrypted handshake frames (fast-check, real sandbox DC)", () => {
  let dc: TestDc;
  const internalErrors: unknown[] = [];

  before(async () => {
    dc = await startTestDc({
      log: (event, detail) => {
        if (event === "connection-rejected" && detail?.["reason"] === "INTERNAL") internalErrors.push(detail);
        if (event === "server-error" || event === "handler-error") internalErrors.push({ event, ...detail });
      },
    });
  });
  after(() => dc.close());

  it(`${RUNS} cases: only handshake answers or -404, never an internal error`, async () => {
    await fc.assert(
      fc.asyncProperty(frameArb, async (frame) => {
        const raw = await RawClient.open(dc.port, frame.transport);
        try {
          const client = new HandshakeClient(raw, dc.publicKeyPem);
          const message = wordAligned(frame.mutations.reduce(mutate, await buildMessage(client, frame)));
          if (frame.fixLength && message.length >= 20) message.writeUInt32LE(message.length - 20, 16);
          raw.sendPayload(message);
          const found = violations(await answersUntilQuiet(raw));
          assert.deepEqual([...found, ...internalErrors.splice(0).map((e) => JSON.stringify(e))], []);
        } finally {
          raw.close();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it("a valid client still completes an exchange afterwards", async () => {
    const client = new HandshakeClient(await RawClient.open(dc.port, "intermediate"), dc.publicKeyPem);
    const { authKey } = await client.complete();
    client.raw.close();
    assert.equal(authKey.length, 256);
    assert.deepEqual(internalErrors, []);
  });
});
