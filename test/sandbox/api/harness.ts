/**
 * Drives the sandbox's Telegram API handler directly, the way the MTProto layer does: the request
 * is serialised by GramJS, read back with GramJS's server-side reader (absent flags become `null`),
 * and its raw bytes go to the journal decoder.
 */
import { createHash } from "node:crypto";
import { Api } from "telegram";
import { BinaryReader } from "telegram/extensions/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import { ScriptedFaultInjector } from "../../../src/sandbox/faults/fault-injector.js";
import { RingCallJournal } from "../../../src/sandbox/journal/call-journal.js";
import { TelegramApiHandler } from "../../../src/sandbox/methods/telegram-api-handler.js";
import { DcAuthKeys } from "../../../src/sandbox/world/auth-keys.js";
import type { KnownAuthKey, RpcOutcome } from "../../../src/sandbox/protocol/rpc-handler.js";
import { SELF_USER_ID } from "../../../src/sandbox/world/seed.js";
import type { UploadLimits } from "../../../src/sandbox/world/uploaded-files.js";
import { SandboxWorld } from "../../../src/sandbox/world/world.js";

export const OWNER = SELF_USER_ID;
export const ALICE = "1000002";
export const BOB = "1000003";
export const CAROL = "1000004";
export const MALLORY = "1000005";
/** Home DC 4. */
export const FAYE = "1000007";

export interface HarnessOptions {
  uploadLimits?: UploadLimits;
  now?: () => number;
  journalCapacity?: number;
  /** The DC the handler answers for. @default 2 */
  dcId?: number;
}

/**
 * Hands `request` to `handler` the way the MTProto layer does: serialised by GramJS, read back with
 * GramJS's server-side reader, its raw bytes beside it for the journal.
 */
export function handleAsMtproto(
  handler: TelegramApiHandler,
  authKey: KnownAuthKey,
  request: Api.AnyRequest,
  session: { connectionId: number; sessionId: string },
): Promise<RpcOutcome> {
  const requestBytes = request.getBytes();
  return handler.handle({
    authKey,
    ...session,
    msgId: "1",
    layer: 198,
    clientLayer: 198,
    servedLayer: 198,
    request: new BinaryReader(requestBytes).tgReadObject() as Api.AnyRequest,
    requestBytes,
  });
}

/** The call's result decoded by GramJS; throws if the call was not answered with a result. */
export function decodedResult<T>(outcome: RpcOutcome): T {
  if (outcome.kind !== "result") throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return new BinaryReader(outcome.value.getBytes()).tgReadObject() as T;
}

/** "CODE MESSAGE" of the call's rpc_error; throws if there was none. */
export function rpcErrorText(outcome: RpcOutcome): string {
  if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
  return `${outcome.code} ${outcome.message}`;
}

export class Harness {
  readonly world: SandboxWorld;
  readonly journal: RingCallJournal;
  readonly faults = new ScriptedFaultInjector();
  readonly handler: TelegramApiHandler;
  private nextFileId = 1n;

  constructor(options: HarnessOptions = {}) {
    this.world = new SandboxWorld({ uploadLimits: options.uploadLimits, now: options.now });
    this.journal = new RingCallJournal(options.journalCapacity);
    this.handler = new TelegramApiHandler({
      world: this.world,
      journal: this.journal,
      faults: this.faults,
      ...(options.dcId === undefined ? {} : { dcId: options.dcId }),
      endpoint: () => ({ host: "127.0.0.1", port: 40123 }),
      authKeys: new DcAuthKeys(this.world.seedUsers),
      // No MTProto server behind the handler: updates have no session to go to.
      pushUpdates: () => {},
    });
  }

  /** Sends one request as `userId` (`null`: a known key that is not signed in). */
  call(request: Api.AnyRequest, userId: string | null = OWNER): Promise<RpcOutcome> {
    const authKey = { authKeyId: `key-${userId}`, authKey: Buffer.alloc(256), userId };
    return handleAsMtproto(this.handler, authKey, request, { connectionId: 7, sessionId: "99" });
  }

  /** Calls and returns the result decoded by GramJS; throws if the call was not answered with a result. */
  async result<T>(request: Api.AnyRequest, userId: string | null = OWNER): Promise<T> {
    return decodedResult<T>(await this.call(request, userId));
  }

  /** Calls and returns "CODE MESSAGE" of the rpc_error, or throws if there was none. */
  async error(request: Api.AnyRequest, userId: string | null = OWNER): Promise<string> {
    return rpcErrorText(await this.call(request, userId));
  }

  /** Saves `data` with upload.saveFilePart in `partSize` chunks; returns the matching InputFile. */
  async upload(
    data: Buffer,
    options: { partSize?: number; userId?: string; md5?: string } = {},
  ): Promise<Api.InputFile> {
    const partSize = options.partSize ?? 128 * 1024;
    const fileId = this.nextFileId++;
    const parts = Math.max(1, Math.ceil(data.length / partSize));
    for (let part = 0; part < parts; part++) {
      const bytes = data.subarray(part * partSize, (part + 1) * partSize);
      const outcome = await this.call(
        new Api.upload.SaveFilePart({ fileId: returnBigInt(fileId), filePart: part, bytes }),
        options.userId ?? OWNER,
      );
      if (outcome.kind !== "result")
        throw new Error(`saveFilePart ${part} failed: ${JSON.stringify(outcome)}`);
    }
    return new Api.InputFile({
      id: returnBigInt(fileId),
      parts,
      name: "upload.bin",
      md5Checksum: options.md5 ?? "",
    });
  }

  /** The InputUser `viewerId` must use for `userId`. */
  inputUser(userId: string, viewerId: string = OWNER): Api.InputUser {
    return new Api.InputUser({
      userId: returnBigInt(userId),
      accessHash: returnBigInt(this.world.accessHashFor(viewerId, userId)),
    });
  }
}

export function md5Hex(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

/** A JPEG header good enough for a size probe: SOI, an APP0 segment, then SOF0 with the size. */
export function fakeJpeg(width: number, height: number, padTo = 2048): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof0 = Buffer.alloc(19);
  sof0.writeUInt16BE(0xffc0, 0);
  sof0.writeUInt16BE(17, 2);
  sof0.writeUInt8(8, 4);
  sof0.writeUInt16BE(height, 5);
  sof0.writeUInt16BE(width, 7);
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, padTo - head.length - 2)), Buffer.from([0xff, 0xd9])]);
}

export function fakePng(width: number, height: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write("IHDR", 4, "latin1");
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(2, 17);
  return Buffer.concat([signature, ihdr, Buffer.alloc(512)]);
}
