/**
 * The startup banner: where the gateway listens, which Telegram it talks to, the sandbox users
 * and copy-paste curl commands. Pure: takes facts, returns text.
 */

export type BannerRole = "self" | "contact" | "not-a-contact" | "dc4";

export interface BannerUser {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string | null;
  role: BannerRole;
}

export interface BannerInfo {
  /** The GraphQL endpoint. */
  url: string;
  mode: "sandbox" | "telegram";
  /** `host:port` of the embedded DC (sandbox mode). */
  sandboxAddress?: string;
  /** `host:port` dialled instead of the session's address (TELEGRAM_DC_ADDRESS). */
  telegramDcAddress?: string;
  /** Sandbox users (empty for real Telegram). */
  users: readonly BannerUser[];
  /** Absolute path of a JPEG for the curl example. */
  photoPath: string;
  /** Adds an `Authorization: Bearer` placeholder to the examples. */
  requiresToken?: boolean;
  /** The browser demo, when enabled. */
  demoUrl?: string;
}

const ROLE_LABELS: Record<BannerRole, string> = {
  self: "self",
  contact: "contact",
  "not-a-contact": "not a contact",
  dc4: "not a contact, home DC 4",
};

/** Single-quotes a word for POSIX shells. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return [line(rows[0]!), widths.map((width) => "-".repeat(width)).join("  "), ...rows.slice(1).map(line)];
}

const SET_PHOTO_MUTATION =
  "mutation ($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename " +
  "... on ContactPhotoPayload { photo { id date } user { id username } } " +
  "... on ContactPhotoError { code message } } }";

export function setPhotoCurl(url: string, userId: string, photoPath: string, requiresToken = false): string {
  const operations = JSON.stringify({
    query: SET_PHOTO_MUTATION,
    variables: { input: { userId, photo: null } },
  });
  const map = JSON.stringify({ "0": ["variables.input.photo"] });
  return [
    `curl ${url}`,
    `  -H ${shellQuote("Apollo-Require-Preflight: true")}`,
    ...(requiresToken ? [`  -H ${shellQuote("Authorization: Bearer <token>")}`] : []),
    `  -F operations=${shellQuote(operations)}`,
    `  -F map=${shellQuote(map)}`,
    `  -F ${shellQuote(`0=@${photoPath};type=image/jpeg`)}`,
  ].join(" \\\n");
}

export function removePhotoCurl(url: string, userId: string, requiresToken = false): string {
  const body = JSON.stringify({
    query: `mutation { removeContactPhoto(userId: ${JSON.stringify(userId)}) { __typename } }`,
  });
  const auth = requiresToken ? ` -H ${shellQuote("Authorization: Bearer <token>")}` : "";
  return `curl ${url} -H ${shellQuote("Content-Type: application/json")}${auth} -d ${shellQuote(body)}`;
}

export function renderBanner(info: BannerInfo): string {
  const lines: string[] = [];
  lines.push(`contact-photo-gateway ready at ${info.url}`);
  lines.push(
    info.mode === "sandbox"
      ? `mode: sandbox (embedded test DC at ${info.sandboxAddress ?? "127.0.0.1"}; set TELEGRAM_API_ID, TELEGRAM_API_HASH and TELEGRAM_SESSION for real Telegram)`
      : info.telegramDcAddress === undefined
        ? "mode: real Telegram"
        : `mode: Telegram DC at ${info.telegramDcAddress} (TELEGRAM_DC_ADDRESS)`,
  );
  if (info.demoUrl !== undefined) lines.push(`try it in a browser: ${info.demoUrl}`);
  if (info.users.length > 0) {
    lines.push("", "Sandbox users:");
    const rows = [
      ["id", "username", "name", "role"],
      ...info.users.map((user) => [
        user.id,
        user.username === null ? "-" : `@${user.username}`,
        [user.firstName, user.lastName].filter((part) => part !== null && part !== "").join(" "),
        ROLE_LABELS[user.role],
      ]),
    ];
    lines.push(...table(rows).map((row) => `  ${row}`));
  }
  const contact = info.users.find((user) => user.role === "contact");
  const userId = contact?.id ?? "<contact id or @username>";
  lines.push(
    "",
    "Set a contact's personal photo:",
    setPhotoCurl(info.url, userId, info.photoPath, info.requiresToken),
  );
  lines.push("", "Remove it again:", removePhotoCurl(info.url, userId, info.requiresToken));
  return `${lines.join("\n")}\n`;
}
