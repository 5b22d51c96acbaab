/**
 * The sandbox test DC: a local MTProto server GramJS talks to over real TCP, with a small seeded
 * Telegram world behind it. See src/sandbox/README.md.
 */
import type { ConnectionTCPFull } from "telegram/network/index.js";
import { loopbackConnection } from "./client/loopback-connection.js";
import { buildSessionString } from "./client/session-string.js";
import { ScriptedFaultInjector, type FaultInjector } from "./faults/fault-injector.js";
import { RingCallJournal, type CallJournal, type NewJournalEntry } from "./journal/call-journal.js";
import { TelegramApiHandler } from "./methods/telegram-api-handler.js";
import { MtprotoServer, type MtprotoServerStats } from "./protocol/mtproto-server.js";
import { DcAuthKeys } from "./world/auth-keys.js";
import type { LoginLimits } from "./world/login-limits.js";
import { normalizePhone } from "./world/phone-numbers.js";
import { ServerRsaKey } from "./crypto/sandbox-rsa-key.js";
import type { HandshakeStep } from "./protocol/mtproto-connection.js";
import type { KeyExchangeLimits } from "./protocol/handshake/auth-key-exchange.js";
import { SELF_USER_ID } from "./world/seed.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./world/uploaded-files.js";
import { SandboxWorld, type World } from "./world/world.js";

export type { CallJournal, JournalEntry } from "./journal/call-journal.js";
export type { Fault, FaultInjector, InjectOptions } from "./faults/fault-injector.js";
export type { World, ServiceMessage } from "./world/world.js";
export type { StoredPhoto, PhotoSizeInfo, PhotoAnimation } from "./world/photo.js";
export type { StoredFile, StoredFileType } from "./world/photo-files.js";
export type { UploadLimits } from "./world/uploaded-files.js";
export type { LoginLimits } from "./world/login-limits.js";
export type { Account } from "./world/seed.js";
export { DEFAULT_LOGIN_LIMITS } from "./world/login-limits.js";
export { FIRST_EXTRA_CONTACT_ID, SELF_USER_ID, TWO_FACTOR_USER_ID } from "./world/seed.js";
export type { KeyExchangeLimits } from "./protocol/handshake/auth-key-exchange.js";
export { DcAuthKeys } from "./world/auth-keys.js";

export interface StartTestDcOptions {
  /** @default "127.0.0.1" (GramJS mistakes "::1" sessions for old Telethon ones) */
  host?: string;
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** Journal ring-buffer size. @default 10_000 */
  journalCapacity?: number;
  /** Bounds on stored upload parts. @default { maxTotalBytes: 256 MiB, idleTtlMs: 10 min } */
  uploadLimits?: Partial<UploadLimits>;
  /**
   * More mutual contacts of the self account on top of the fixed seed, for bulk scenarios: ids
   * 2000001.., usernames `contact_0001`.. (see README). The six seeded users never change.
   * @default 0
   */
  extraContacts?: number;
  /**
   * Login timings and limits: code lifetime, wrong codes before FLOOD_WAIT_X and its length, QR
   * token and srp_id lifetimes. @default DEFAULT_LOGIN_LIMITS (5 min, 5, 300 s, 30 s, 5 min)
   */
  login?: Partial<LoginLimits>;
  /** Called with every login code auth.sendCode sends (`npm run sandbox` prints them). */
  onLoginCode?: (phone: string, code: string) => void;
  /**
   * Bounds on half-done auth key exchanges (a flood of req_pq_multi only evicts the flooder's own).
   * @default { maxPendingPerConnection: 8, maxPending: 1024, pendingTtlMs: 60_000 }
   */
  keyExchangeLimits?: Partial<KeyExchangeLimits>;
  /** Keys the auth key exchange may create; beyond it the oldest signed-out one is forgotten. @default 10_000 */
  maxCreatedKeys?: number;
  /** Protocol debug hook, passed to the MTProto server. */
  log?: (event: string, detail?: Record<string, unknown>) => void;
}

export interface SandboxUser {
  id: string;
  /** As the self account sees this user. */
  accessHash: string;
  username: string | null;
  firstName: string;
  lastName: string | null;
  phone: string;
  role: "self" | "contact" | "not-a-contact";
  /** The account's 2FA password and hint (a login by code or QR then asks for it), or `null`. */
  twoFactor: { password: string; hint: string } | null;
}

export interface TestDc {
  readonly host: string;
  readonly port: number;
  readonly dcId: number;
  /** The seeded world, self first, then any extra contacts. */
  readonly users: readonly SandboxUser[];
  /** StringSession text for the self account. */
  readonly selfSession: string;
  /** A key the DC knows but that is not signed in: it can log in (auth.*); other calls answer 401 AUTH_KEY_UNREGISTERED. */
  readonly unregisteredSession: string;
  /** The newest login code auth.sendCode sent to `phone` ("+" and spaces are ignored). */
  lastLoginCode(phone: string): string | undefined;
  /** The DC's RSA public key (PKCS#1 PEM): TEST ONLY, its private half is committed in the sandbox source. */
  readonly publicKeyPem: string;
  /** Its fingerprint as resPQ lists it (unsigned 64-bit, decimal). */
  readonly publicKeyFingerprint: string;
  /** Every auth key of the DC: preset ones and those made by the key exchange (`bindUser`, `signOut`). */
  readonly authKeys: DcAuthKeys;
  /** Session for any seeded account (log in as a contact to see suggestions). */
  sessionFor(userId: string): string;
  /** Pass as TelegramClient's `connection` option: dials this DC whatever port GramJS picks. */
  connection(): typeof ConnectionTCPFull;
  readonly journal: CallJournal;
  readonly faults: FaultInjector;
  readonly world: World;
  readonly stats: Readonly<MtprotoServerStats>;
  dropAllConnections(): void;
  rotateSalts(): void;
  /** Every file reference handed out so far stops working (`FILE_REFERENCE_EXPIRED`); new answers carry new ones. */
  expireFileReferences(): void;
  close(): Promise<void>;
}

export async function startTestDc(options: StartTestDcOptions = {}): Promise<TestDc> {
  const world = new SandboxWorld({
    uploadLimits: { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits },
    ...(options.extraContacts === undefined ? {} : { extraContacts: options.extraContacts }),
    ...(options.login === undefined ? {} : { login: options.login }),
    ...(options.onLoginCode === undefined ? {} : { onLoginCode: options.onLoginCode }),
  });
  const authKeys = new DcAuthKeys(world.seedUsers, {
    ...(options.maxCreatedKeys === undefined ? {} : { maxCreatedKeys: options.maxCreatedKeys }),
  });
  const rsaKey = ServerRsaKey.sandbox();
  const journal = new RingCallJournal(options.journalCapacity);
  const faults = new ScriptedFaultInjector();
  let endpoint = { host: options.host ?? "127.0.0.1", port: options.port ?? 0 };
  const handler = new TelegramApiHandler({
    world,
    journal,
    faults,
    endpoint: () => endpoint,
    authKeys,
    // Through the server built below (it needs the handler); no call arrives before it exists.
    pushUpdates: (authKeyId, updates) => server.pushUpdates(authKeyId, updates.getBytes()),
  });
  const server = new MtprotoServer({
    host: endpoint.host,
    port: endpoint.port,
    authKeys,
    handler,
    dcId: world.dcId,
    rsaKey,
    ...(options.keyExchangeLimits ? { keyExchangeLimits: options.keyExchangeLimits } : {}),
    onHandshakeStep: (step) => journal.record(handshakeEntry(step)),
    log: options.log,
  });
  endpoint = await server.listen();
  const { host, port } = endpoint;

  const sessionFor = (userId: string): string => {
    const key = authKeys.byUserId.get(userId);
    if (!key) throw new RangeError(`no seeded account with id ${userId}`);
    return buildSessionString({ dcId: world.dcId, host, port, authKey: key.authKey });
  };
  const users = world.seedUsers.map((user): SandboxUser => {
    const role =
      user.id === SELF_USER_ID
        ? "self"
        : world.isContact(SELF_USER_ID, user.id)
          ? "contact"
          : "not-a-contact";
    return {
      id: user.id,
      accessHash: world.accessHashFor(SELF_USER_ID, user.id),
      username: user.username,
      firstName: user.firstName,
      lastName: user.lastName,
      phone: user.phone,
      role,
      twoFactor: user.twoFactor ? { ...user.twoFactor } : null,
    };
  });

  return {
    host,
    port,
    dcId: world.dcId,
    users,
    selfSession: sessionFor(SELF_USER_ID),
    unregisteredSession: buildSessionString({
      dcId: world.dcId,
      host,
      port,
      authKey: authKeys.unregistered.authKey,
    }),
    lastLoginCode: (phone) => {
      const digits = normalizePhone(phone);
      return digits === null ? undefined : world.lastLoginCode(digits);
    },
    publicKeyPem: rsaKey.publicKeyPem,
    publicKeyFingerprint: rsaKey.fingerprint.toString(),
    authKeys,
    sessionFor,
    connection: () => loopbackConnection(port),
    journal,
    faults,
    world: world as World,
    stats: server.stats,
    dropAllConnections: () => server.dropAllConnections(),
    rotateSalts: () => server.rotateSalts(),
    expireFileReferences: () => world.photoFiles.expireReferences(),
    close: async () => {
      handler.close();
      await server.close();
    },
  };
}

/** A key exchange step as a journal entry: no session, no user, no API layer yet. */
function handshakeEntry(step: HandshakeStep): NewJournalEntry {
  return {
    at: Date.now(),
    connectionId: step.connectionId,
    sessionId: "0",
    userId: null,
    layer: null,
    servedLayer: 0,
    method: step.method,
    params: step.detail ?? {},
    bytes: step.bytes,
    outcome: step.answer === null ? "drop" : "result",
    answer: step.answer,
    ...(step.answer === null ? { error: { code: -404, message: step.reason ?? "REFUSED" } } : {}),
  };
}
