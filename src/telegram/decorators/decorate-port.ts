import type { TelegramPort } from "../port.js";

/** Every port method that talks to Telegram (all but `close` and the local `isConnected`). */
export type PortMethodName = Exclude<keyof TelegramPort, "close" | "isConnected">;

/** Runs one port call; decorators add behaviour around `call` and return (or throw) its outcome. */
export type AroundCall = <T>(method: PortMethodName, call: () => Promise<T>) => Promise<T>;

/**
 * Builds a port that sends every call through `around`. Methods are listed one by one (no Proxy)
 * so a method added to `TelegramPort` fails to compile here until it is decorated on purpose.
 * `close` always goes straight to the inner port.
 */
export function decoratePort(inner: TelegramPort, around: AroundCall): TelegramPort {
  return {
    getSelf: () => around("getSelf", () => inner.getSelf()),
    getContacts: () => around("getContacts", () => inner.getContacts()),
    getUsers: (refs) => around("getUsers", () => inner.getUsers(refs)),
    resolveUsername: (username) => around("resolveUsername", () => inner.resolveUsername(username)),
    getFullUser: (ref) => around("getFullUser", () => inner.getFullUser(ref)),
    saveFilePart: (part) => around("saveFilePart", () => inner.saveFilePart(part)),
    uploadContactProfilePhoto: (request) =>
      around("uploadContactProfilePhoto", () => inner.uploadContactProfilePhoto(request)),
    getFile: (request) => around("getFile", () => inner.getFile(request)),
    getPhotoSuggestions: (user, historyLimit) =>
      around("getPhotoSuggestions", () => inner.getPhotoSuggestions(user, historyLimit)),
    ping: () => around("ping", () => inner.ping()),
    close: () => inner.close(),
  };
}

export const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
