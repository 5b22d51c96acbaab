/**
 * The sandbox test DCs: a cluster of local MTProto servers (DCs 1, 2 and 4, one port each) any
 * client talks to over real TCP, with one small seeded Telegram world behind them. See
 * src/sandbox/README.md.
 */
import type { ConnectionTCPFull } from "telegram/network/index.js";
import { clusterConnection } from "./client/loopback-connection.js";
import { buildSessionString } from "./client/session-string.js";
import { ScriptedFaultInjector, type Fault, type FaultInjector } from "./faults/fault-injector.js";
import { RingCallJournal, type CallJournal, type NewJournalEntry } from "./journal/call-journal.js";
import type { DcAddress } from "./methods/context.js";
import { TelegramApiHandler } from "./methods/telegram-api-handler.js";
import { MtprotoServer, type MtprotoServerStats } from "./protocol/mtproto-server.js";
import { ServerRsaKey } from "./crypto/sandbox-rsa-key.js";
import type { KeyExchangeLimits } from "./protocol/handshake/auth-key-exchange.js";
import type { HandshakeFault, HandshakeStep } from "./protocol/mtproto-connection.js";
import { DcAuthKeys } from "./world/auth-keys.js";
import type { LoginLimits } from "./world/login-limits.js";
import { normalizePhone } from "./world/phone-numbers.js";
import { DC4_USER_ID, SANDBOX_DC_IDS, SELF_USER_ID } from "./world/seed.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./world/uploaded-files.js";
import { SandboxWorld, type World } from "./world/world.js";

export type { CallJournal, JournalEntry } from "./journal/call-journal.js";
export type { Fault, FaultInjector, InjectOptions } from "./faults/fault-injector.js";
export type { World, ServiceMessage } from "./world/world.js";
export type { StoredPhoto, PhotoSizeInfo, PhotoAnimation } from "./world/photo.js";
export type { StoredFile, StoredFileType } from "./world/photo-files.js";
export type { UploadLimits } from "./world/uploaded-files.js";
export type { DcAddress } from "./methods/context.js";
export type { KeyExchangeLimits } from "./protocol/handshake/auth-key-exchange.js";
export { DcAuthKeys } from "./world/auth-keys.js";
export type { LoginLimits } from "./world/login-limits.js";
export type { Account } from "./world/seed.js";
export { DEFAULT_LOGIN_LIMITS } from "./world/login-limits.js";
export {
  DC4_USER_ID,
  FIRST_EXTRA_CONTACT_ID,
  SANDBOX_DC_IDS,
  SELF_USER_ID,
  TWO_FACTOR_USER_ID,
} from "./world/seed.js";

export interface StartTestDcOptions {
  /** @default "127.0.0.1" (GramJS mistakes "::1" sessions for old Telethon ones) */
  host?: string;
  /** Port of DC 2, the self account's DC. @default 0 (an ephemeral port) */
  port?: number;
  /**
   * Ports of the other DCs, by DC id (e.g. `{ 1: 44001, 4: 44004 }`); a DC left out gets an
   * ephemeral port. @default {}
   */
  dcPorts?: Readonly<Record<number, number>>;
  /** Journal ring-buffer size (one journal for every DC). @default 10_000 */
  journalCapacity?: number;
  /** Bounds on stored upload parts, for each DC. @default { maxTotalBytes: 256 MiB, idleTtlMs: 10 min } */
  uploadLimits?: Partial<UploadLimits>;
  /**
   * More mutual contacts of the self account on top of the fixed seed, for bulk scenarios: ids
   * 2000001.., usernames `contact_0001`.. (see README). The seven seeded users never change.
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
   * Bounds on half-done auth key exchanges, per DC (a flood of req_pq_multi only evicts the
   * flooder's own). @default { maxPendingPerConnection: 8, maxPending: 1024, pendingTtlMs: 60_000 }
   */
  keyExchangeLimits?: Partial<KeyExchangeLimits>;
  /** Keys the auth key exchange may create per DC; beyond it the oldest signed-out one is forgotten. @default 10_000 */
  maxCreatedKeys?: number;
  /** Protocol debug hook, passed to every DC's MTProto server (with `dcId` in the detail). */
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
  /** The DC the account lives on (its session string points there). */
  homeDcId: number;
  /**
   * As the self account sees this user; "dc4" is the account whose home DC is 4 (not a contact of
   * self; it has contacts of its own on DC 2).
   */
  role: "self" | "contact" | "not-a-contact" | "dc4";
  /** The account's 2FA password and hint (a login by code or QR then asks for it), or `null`. */
  twoFactor: { password: string; hint: string } | null;
}

/** One DC of the cluster. */
export interface SandboxDc extends DcAddress {
  /** The keys this DC holds (seeded; others appear as clients create them). */
  readonly authKeys: DcAuthKeys;
  readonly stats: Readonly<MtprotoServerStats>;
}

export interface TestDc {
  /** Host of every DC. */
  readonly host: string;
  /** Port of DC 2, the self account's home DC. */
  readonly port: number;
  /** 2, the self account's home DC. */
  readonly dcId: number;
  /** Every DC of the cluster (1, 2, 4), ascending by id. */
  readonly dcs: readonly SandboxDc[];
  /** The port of one DC; throws for a DC the cluster does not run. */
  portOf(dcId: number): number;
  /** The seeded world, self first, then any extra contacts. */
  readonly users: readonly SandboxUser[];
  /** StringSession text for the self account (DC 2). */
  readonly selfSession: string;
  /** A key DC 2 knows but that is not signed in: it can log in (auth.*); other calls answer 401 AUTH_KEY_UNREGISTERED. */
  readonly unregisteredSession: string;
  /** The newest login code auth.sendCode sent to `phone` ("+" and spaces are ignored). */
  lastLoginCode(phone: string): string | undefined;
  /** The DCs' RSA public key (PKCS#1 PEM, the same on every DC): TEST ONLY, its private half is committed in the sandbox source. */
  readonly publicKeyPem: string;
  /** Its fingerprint as resPQ lists it (unsigned 64-bit, decimal). */
  readonly publicKeyFingerprint: string;
  /** Every auth key of DC 2: preset ones and those made by the key exchange (`bindUser`, `signOut`); other DCs' in `dcs`. */
  readonly authKeys: DcAuthKeys;
  /** The seeded signed-out key of any DC, as a session on that DC (e.g. to import an authorization). */
  unregisteredSessionOn(dcId: number): string;
  /** Session for any seeded account, on its home DC (log in as a contact to see suggestions). */
  sessionFor(userId: string): string;
  /**
   * Pass as TelegramClient's `connection` option: dials the DC GramJS asks for at its sandbox port
   * (GramJS in Node dials :80/:443 whatever the session or config says), DC 2's for unknown ids.
   */
  connection(): typeof ConnectionTCPFull;
  /** One journal for the cluster; each entry names its DC. */
  readonly journal: CallJournal;
  /** One injector for the cluster; `inject(..., { dcId })` narrows a fault to one DC. */
  readonly faults: FaultInjector;
  readonly world: World;
  /** Totals over every DC. */
  readonly stats: Readonly<MtprotoServerStats>;
  /** Cuts every connection of every DC. */
  dropAllConnections(): void;
  rotateSalts(): void;
  /** Every file reference handed out so far stops working (`FILE_REFERENCE_EXPIRED`); new answers carry new ones. */
  expireFileReferences(): void;
  close(): Promise<void>;
}

interface RunningDc {
  id: number;
  server: MtprotoServer;
  handler: TelegramApiHandler;
  authKeys: DcAuthKeys;
  /** Known once the server listens. */
  endpoint: () => { host: string; port: number };
}

export async function startTestDc(options: StartTestDcOptions = {}): Promise<TestDc> {
  const world = new SandboxWorld({
    dcIds: SANDBOX_DC_IDS,
    uploadLimits: { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits },
    ...(options.extraContacts === undefined ? {} : { extraContacts: options.extraContacts }),
    ...(options.login === undefined ? {} : { login: options.login }),
    ...(options.onLoginCode === undefined ? {} : { onLoginCode: options.onLoginCode }),
  });
  const keyStores = new Map(
    world.dcIds.map((dcId) => [
      dcId,
      new DcAuthKeys(world.seedUsers, {
        dcId,
        loginUnderWay: (authKeyId) => world.login.underWay(authKeyId),
        ...(options.maxCreatedKeys === undefined ? {} : { maxCreatedKeys: options.maxCreatedKeys }),
      }),
    ]),
  );
  const rsaKey = ServerRsaKey.sandbox();
  const journal = new RingCallJournal(options.journalCapacity);
  const faults = new ScriptedFaultInjector();
  const host = options.host ?? "127.0.0.1";
  const running: RunningDc[] = [];
  const addresses = (): DcAddress[] => running.map((dc) => ({ id: dc.id, ...dc.endpoint() }));
  const log = options.log;
  try {
    for (const dcId of world.dcIds) {
      const requestedPort = dcId === world.dcId ? (options.port ?? 0) : (options.dcPorts?.[dcId] ?? 0);
      let endpoint = { host, port: requestedPort };
      const authKeys = keyStores.get(dcId)!;
      const handler = new TelegramApiHandler({
        world,
        journal,
        faults,
        dcId,
        endpoint: () => endpoint,
        dcs: addresses,
        authKeys,
        // Through every DC's server: the key an update is for may be connected to another DC than
        // the one answering (a login token exported on DC 2 and accepted by an app on DC 4), as
        // Telegram delivers it. A key lives on one DC, so only its own connections receive it.
        pushUpdates: (authKeyId, updates) => {
          const bytes = updates.getBytes();
          for (const dc of running) dc.server.pushUpdates(authKeyId, bytes);
        },
      });
      const server = new MtprotoServer({
        host,
        port: requestedPort,
        authKeys,
        handler,
        dcId,
        rsaKey,
        ...(options.keyExchangeLimits ? { keyExchangeLimits: options.keyExchangeLimits } : {}),
        onHandshakeStep: (step) => journal.record(handshakeEntry(dcId, step)),
        handshakeFault: (method) => handshakeFaultOf(faults.take(method, dcId)),
        ...(log === undefined ? {} : { log: (event, detail) => log(event, { dcId, ...detail }) }),
      });
      running.push({ id: dcId, server, handler, authKeys, endpoint: () => endpoint });
      endpoint = await server.listen();
    }
  } catch (error) {
    await Promise.all(running.map((dc) => dc.server.close()));
    throw error;
  }

  const byId = new Map(running.map((dc) => [dc.id, dc]));
  const home = byId.get(world.dcId)!;
  const portOf = (dcId: number): number => {
    const dc = byId.get(dcId);
    if (!dc) throw new RangeError(`the sandbox runs no DC ${dcId}`);
    return dc.endpoint().port;
  };
  const sessionOn = (dcId: number, authKey: Buffer): string =>
    buildSessionString({ dcId, host, port: portOf(dcId), authKey });
  const sessionFor = (userId: string): string => {
    const homeDcId = world.homeDcOf(userId);
    const key = homeDcId === undefined ? undefined : keyStores.get(homeDcId)?.byUserId.get(userId);
    if (!key || homeDcId === undefined) throw new RangeError(`no seeded account with id ${userId}`);
    return sessionOn(homeDcId, key.authKey);
  };
  const users = world.seedUsers.map((user): SandboxUser => {
    const role =
      user.id === SELF_USER_ID
        ? "self"
        : world.isContact(SELF_USER_ID, user.id)
          ? "contact"
          : user.id === DC4_USER_ID
            ? "dc4"
            : "not-a-contact";
    return {
      id: user.id,
      accessHash: world.accessHashFor(SELF_USER_ID, user.id),
      username: user.username,
      firstName: user.firstName,
      lastName: user.lastName,
      phone: user.phone,
      homeDcId: user.homeDcId ?? world.dcId,
      role,
      twoFactor: user.twoFactor ? { ...user.twoFactor } : null,
    };
  });
  const ports = new Map(running.map((dc) => [dc.id, dc.endpoint().port]));

  return {
    host,
    port: home.endpoint().port,
    dcId: world.dcId,
    dcs: running.map((dc) => ({
      id: dc.id,
      host: dc.endpoint().host,
      port: dc.endpoint().port,
      authKeys: dc.authKeys,
      stats: dc.server.stats,
    })),
    portOf,
    users,
    selfSession: sessionFor(SELF_USER_ID),
    unregisteredSession: sessionOn(world.dcId, home.authKeys.unregistered.authKey),
    unregisteredSessionOn: (dcId) => {
      const store = keyStores.get(dcId);
      if (!store) throw new RangeError(`the sandbox runs no DC ${dcId}`);
      return sessionOn(dcId, store.unregistered.authKey);
    },
    lastLoginCode: (phone) => {
      const digits = normalizePhone(phone);
      return digits === null ? undefined : world.lastLoginCode(digits);
    },
    publicKeyPem: rsaKey.publicKeyPem,
    publicKeyFingerprint: rsaKey.fingerprint.toString(),
    authKeys: home.authKeys,
    sessionFor,
    connection: () => clusterConnection(ports, home.endpoint().port),
    journal,
    faults,
    world: world as World,
    stats: totalStats(running.map((dc) => dc.server.stats)),
    dropAllConnections: () => running.forEach((dc) => dc.server.dropAllConnections()),
    rotateSalts: () => running.forEach((dc) => dc.server.rotateSalts()),
    expireFileReferences: () => world.photoFiles.expireReferences(),
    close: async () => {
      for (const dc of running) dc.handler.close();
      await Promise.all(running.map((dc) => dc.server.close()));
    },
  };
}

/** Live sums of every DC's counters (read at access time). */
function totalStats(all: readonly Readonly<MtprotoServerStats>[]): Readonly<MtprotoServerStats> {
  const sum = (field: keyof MtprotoServerStats) => all.reduce((total, stats) => total + stats[field], 0);
  return {
    get connectionsOpen() {
      return sum("connectionsOpen");
    },
    get connectionsTotal() {
      return sum("connectionsTotal");
    },
    get bytesIn() {
      return sum("bytesIn");
    },
    get bytesOut() {
      return sum("bytesOut");
    },
    get rpcCalls() {
      return sum("rpcCalls");
    },
    get rejectedConnections() {
      return sum("rejectedConnections");
    },
  };
}

/** What a fault scripted with `dc.faults.inject` does to a key exchange step; an RPC error is a -404 refusal. */
function handshakeFaultOf(fault: Fault | undefined): HandshakeFault | undefined {
  if (fault === undefined) return undefined;
  return "rpcError" in fault ? { refuse: true } : fault;
}

/** A key exchange step as a journal entry: no session, no user, no API layer yet. */
function handshakeEntry(dcId: number, step: HandshakeStep): NewJournalEntry {
  return {
    dcId,
    at: Date.now(),
    connectionId: step.connectionId,
    sessionId: "0",
    userId: null,
    layer: null,
    servedLayer: 0,
    method: step.method,
    params: step.detail ?? {},
    bytes: step.bytes,
    outcome:
      step.answer === null || (step.fault && "drop" in step.fault)
        ? "drop"
        : step.fault && "silent" in step.fault
          ? "silent"
          : "result",
    answer: step.answer,
    ...(step.answer === null ? { error: { code: -404, message: step.reason ?? "REFUSED" } } : {}),
  };
}
