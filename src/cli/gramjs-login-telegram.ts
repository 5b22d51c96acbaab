/**
 * {@link LoginTelegram} over a stock GramJS client: a fresh auth key made with the server's RSA
 * key (GramJS's production keys, or TELEGRAM_PUBLIC_KEY), DC 2 dialled at the address given
 * (my.telegram.org shows each server's DC 2), other DCs at the addresses and ports Telegram's
 * configuration lists, and the session written without GramJS's signed-port limit.
 */
import { connect as connectTcp } from "node:net";
import { Api, TelegramClient } from "telegram";
import { Raw } from "telegram/events/index.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { computeCheck } from "telegram/Password.js";
import { MemorySession } from "telegram/sessions/index.js";
import { formatDcAddress, type DcAddress } from "../config.js";
import { DcDirectory } from "../telegram/gramjs/dc-directory.js";
import { trustServerPublicKey } from "../telegram/gramjs/trust-server-key.js";
import type { ServerPublicKey } from "../telegram/server-public-key.js";
import { encodeSession } from "../telegram/session-string.js";
import type { LoginTelegram } from "./login-flow.js";
import { LoginAbortedError } from "./login-prompts.js";

/** The DC my.telegram.org lists for both of Telegram's servers, and where a login starts. */
export const FIRST_DC_ID = 2;
/** Telegram's production DC 2, as my.telegram.org shows it. */
export const PRODUCTION_DC_ADDRESS: DcAddress = { host: "149.154.167.50", port: 443 };

export interface LoginClientOptions {
  apiId: number;
  apiHash: string;
  /** @default PRODUCTION_DC_ADDRESS */
  dcAddress: DcAddress | null;
  /** Trusted for the auth key exchange on top of GramJS's production keys. */
  publicKey: ServerPublicKey | null;
  /** Longest wait for the TCP connection and the auth key exchange. */
  connectTimeoutMs: number;
  /** Attempts at the connection and its key exchange per DC (a new key can come out bad). */
  connectAttempts: number;
  /** Longest wait for the answer to each call (auth.sendCode: plus connectTimeoutMs). */
  callTimeoutMs: number;
}

export interface LoginClient {
  telegram: LoginTelegram;
  /** The TELEGRAM_SESSION of the signed-in account: its home DC, the address it was reached at, the auth key. */
  session(): string;
  close(): Promise<void>;
}

export async function connectLoginClient(options: LoginClientOptions): Promise<LoginClient> {
  if (options.publicKey !== null) trustServerPublicKey(options.publicKey);
  const address = options.dcAddress ?? PRODUCTION_DC_ADDRESS;
  const where = `Telegram DC ${FIRST_DC_ID} at ${formatDcAddress(address)}`;
  await probeTcp(address, options.connectTimeoutMs, where);

  const session = new MemorySession();
  session.setDC(FIRST_DC_ID, address.host, address.port);
  const directory = new DcDirectory(new Map([[FIRST_DC_ID, address]]));
  const client = new TelegramClient(session, options.apiId, options.apiHash, {
    connection: directory.connection(),
    // A key exchange can fail with nothing wrong on the line: GramJS drops a new key's leading
    // zero bytes, so 1 key in 256 fails its own check and has to be made again.
    connectionRetries: options.connectAttempts,
    retryDelay: KEY_EXCHANGE_RETRY_DELAY_MS,
    autoReconnect: false,
    // A flood wait is reported to the user, never slept through silently.
    floodSleepThreshold: 0,
    // GramJS prints connection errors with their stacks; the login reports them in words.
    baseLogger: new Logger(LogLevel.NONE),
  });
  directory.install(client);
  let lastError: Error | null = null;
  client.onError = async (error: Error) => {
    lastError = error;
  };

  const close = async (): Promise<void> => {
    stopConnecting(client);
    await client.destroy().catch(() => undefined);
  };
  const connected = await connectedWithin(client.connect(), options.connectTimeoutMs).catch(
    (error: unknown) => {
      lastError = error instanceof Error ? error : new Error(String(error));
      return false;
    },
  );
  if (!connected) {
    await close();
    throw new LoginAbortedError(connectFailure(where, lastError, options.connectTimeoutMs));
  }
  // GramJS follows PHONE_MIGRATE_X and auth.loginTokenMigrateTo by connecting to the account's
  // DC; when that fails it waits on the unconnected sender for ever. The same deadline and the
  // same words as for the first DC end the login instead.
  const switchDc = client._switchDC.bind(client);
  client._switchDC = async (dcId: number) => {
    lastError = null;
    if (await connectedWithin(switchDc(dcId), options.connectTimeoutMs)) return true;
    stopConnecting(client);
    const endpoint = directory.endpointOf(dcId);
    const there =
      endpoint === undefined ? `Telegram DC ${dcId}` : `Telegram DC ${dcId} at ${formatDcAddress(endpoint)}`;
    throw new LoginAbortedError(connectFailure(there, lastError, options.connectTimeoutMs));
  };

  // GramJS waits for an answer for ever; a DC that made the key and then went silent would hold
  // the login at its question. auth.sendCode may first move to the phone's DC (PHONE_MIGRATE_X),
  // which has the connect deadline of its own.
  const invoke = <R extends Api.AnyRequest>(request: R): Promise<R["__response"]> => {
    const ms = options.callTimeoutMs + (request instanceof Api.auth.SendCode ? options.connectTimeoutMs : 0);
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LoginAbortedError(`Telegram did not answer ${request.className} within ${ms} ms.`)),
        ms,
      );
    });
    return Promise.race([client.invoke(request), silence]).finally(() => clearTimeout(timer));
  };

  const tokenAccepted = loginTokenUpdates(client);
  let termsOfService: Api.help.TermsOfService | null = null;
  const telegram: LoginTelegram = {
    async sendCode(phone) {
      const sent = await invoke(
        new Api.auth.SendCode({
          phoneNumber: phone,
          apiId: options.apiId,
          apiHash: options.apiHash,
          settings: new Api.CodeSettings({}),
        }),
      );
      if (!(sent instanceof Api.auth.SentCode)) {
        throw new LoginAbortedError(
          `Telegram answered auth.sendCode with ${sent.className}, which this login does not handle.`,
        );
      }
      return { phoneCodeHash: sent.phoneCodeHash, viaApp: sent.type instanceof Api.auth.SentCodeTypeApp };
    },
    async signIn(phone, phoneCodeHash, code) {
      const result = await invoke(
        new Api.auth.SignIn({ phoneNumber: phone, phoneCodeHash, phoneCode: code }),
      );
      if (result instanceof Api.auth.AuthorizationSignUpRequired) {
        termsOfService = result.termsOfService ?? null;
        return "sign-up-required";
      }
      return "signed-in";
    },
    async signUp(phone, phoneCodeHash, firstName, lastName) {
      const result = await invoke(
        new Api.auth.SignUp({ phoneNumber: phone, phoneCodeHash, firstName, lastName }),
      );
      if (result instanceof Api.auth.AuthorizationSignUpRequired) {
        throw new LoginAbortedError("Telegram still asks to sign up after auth.signUp.");
      }
      // What the official apps do after a sign-up that came with terms of service.
      if (termsOfService !== null) await invoke(new Api.help.AcceptTermsOfService({ id: termsOfService.id }));
    },
    async passwordHint() {
      const password = await invoke(new Api.account.GetPassword());
      return password.hint ?? null;
    },
    async checkPassword(password) {
      const parameters = await invoke(new Api.account.GetPassword());
      await invoke(new Api.auth.CheckPassword({ password: await computeCheck(parameters, password) }));
    },
    async exportLoginToken() {
      const exported = await invoke(
        new Api.auth.ExportLoginToken({ apiId: options.apiId, apiHash: options.apiHash, exceptIds: [] }),
      );
      if (exported instanceof Api.auth.LoginToken) {
        return {
          status: "token",
          token: Buffer.from(exported.token),
          expiresAt: serverSecondsToLocalMs(client, exported.expires),
        };
      }
      if (exported instanceof Api.auth.LoginTokenMigrateTo) {
        // The account lives on another DC: sign in there with the token it handed over.
        await client._switchDC(exported.dcId);
        const imported = await invoke(new Api.auth.ImportLoginToken({ token: exported.token }));
        if (imported instanceof Api.auth.LoginTokenSuccess) return { status: "signed-in" };
        throw new LoginAbortedError(`Telegram answered auth.importLoginToken with ${imported.className}.`);
      }
      return { status: "signed-in" };
    },
    loginTokenAccepted: (ms) => tokenAccepted(ms),
  };

  return {
    telegram,
    session: () => {
      const authKey = session.getAuthKey()?.getKey();
      if (authKey === undefined) throw new Error("no auth key after signing in");
      return encodeSession({ dcId: session.dcId, host: session.serverAddress, port: session.port, authKey });
    },
    close,
  };
}

/** Between attempts at a connection: a bad key is made again at once, a closed line gets a moment. */
const KEY_EXCHANGE_RETRY_DELAY_MS = 200;

/**
 * Ends GramJS's connection attempts: its retry loop re-reads the sender's count before each one,
 * and a sender made later (a DC switch still under way) takes the client's. Without this, a
 * connect given up on goes on dialling after `destroy()`.
 */
function stopConnecting(client: TelegramClient): void {
  const internals = client as unknown as { _connectionRetries: number; _sender?: { _retries: number } };
  internals._connectionRetries = 0;
  if (internals._sender !== undefined) internals._sender._retries = 0;
}

/** GramJS's connect result, or `false` when it did not settle within `timeoutMs`. */
async function connectedWithin(connecting: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    connecting,
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Dials the address once before GramJS does, so an unreachable server is named with its reason
 * (refused, unknown host, no answer): GramJS only reports that connecting failed.
 */
async function probeTcp(address: DcAddress, timeoutMs: number, where: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connectTcp({ host: address.host, port: address.port });
    socket.setTimeout(timeoutMs);
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new LoginAbortedError(`Could not reach ${where}: no answer within ${timeoutMs} ms.`));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const reason = SOCKET_ERRORS[error.code ?? ""] ?? error.code ?? error.message;
      reject(new LoginAbortedError(`Could not reach ${where}: ${reason}.`));
    });
  });
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens there)",
  ENOTFOUND: "unknown host name",
  EAI_AGAIN: "the host name could not be resolved now",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "the connection was reset",
};

function connectFailure(where: string, error: Error | null, timeoutMs: number): string {
  const detail = error?.message ?? `no MTProto answer within ${timeoutMs} ms`;
  if (/valid key for fingerprints/.test(detail)) {
    return (
      `${where} uses an RSA key this login does not trust. Set TELEGRAM_PUBLIC_KEY (or --public-key) ` +
      "to the public key my.telegram.org shows for that server (npm run sandbox prints its own)."
    );
  }
  return `Could not connect to ${where}: ${detail}.`;
}

/** An `expires` in the server's clock, in this machine's milliseconds (GramJS tracks the offset). */
function serverSecondsToLocalMs(client: TelegramClient, expires: number): number {
  const offset =
    (client._sender as unknown as { _state?: { timeOffset?: number } } | undefined)?._state?.timeOffset ?? 0;
  return (expires - offset) * 1000;
}

/** Waits for `updateLoginToken`, which Telegram sends once a signed-in app accepted the token. */
function loginTokenUpdates(client: TelegramClient): (ms: number) => Promise<boolean> {
  let accepted = false;
  let wake: (() => void) | null = null;
  client.addEventHandler(
    () => {
      accepted = true;
      wake?.();
    },
    new Raw({ types: [Api.UpdateLoginToken] }),
  );
  return async (ms) => {
    if (!accepted) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms);
      });
      clearTimeout(timer);
      wake = null;
    }
    const result = accepted;
    accepted = false;
    return result;
  };
}
