import { bindTempAuthKey } from "./auth-bind-temp-auth-key.js";
import { logOut, sendCode, signIn, signUp } from "./auth-code.js";
import { checkPassword, getPassword } from "./auth-password.js";
import { acceptLoginToken, exportLoginToken, importLoginToken } from "./auth-qr.js";
import { exportAuthorization, importAuthorization } from "./authorization-transfer.js";
import type { MethodDefinition } from "./context.js";
import { getContacts, resolveUsername } from "./contacts.js";
import { getConfig, getNearestDc } from "./help.js";
import { getHistory } from "./messages.js";
import { getState } from "./updates.js";
import { uploadContactProfilePhoto } from "./upload-contact-profile-photo.js";
import { getFile } from "./upload-get-file.js";
import { saveBigFilePart, saveFilePart } from "./upload.js";
import { getFullUser, getUsers } from "./users.js";

/** Every Telegram method the sandbox implements, by TL name. */
export const SANDBOX_METHODS: ReadonlyMap<string, MethodDefinition> = new Map(
  [
    getConfig,
    getNearestDc,
    exportAuthorization,
    importAuthorization,
    getState,
    saveFilePart,
    saveBigFilePart,
    getFile,
    uploadContactProfilePhoto,
    getContacts,
    resolveUsername,
    getUsers,
    getFullUser,
    getHistory,
    sendCode,
    signIn,
    signUp,
    logOut,
    getPassword,
    checkPassword,
    exportLoginToken,
    acceptLoginToken,
    importLoginToken,
    bindTempAuthKey,
  ].map((method) => [method.name, method]),
);
