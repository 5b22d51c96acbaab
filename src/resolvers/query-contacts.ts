import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { TelegramUser } from "../telegram/port.js";
import { throwQueryFailure } from "./query-errors.js";

const CURSOR_PREFIX = "contact:";

/** Opaque cursors name the contact, so a page boundary survives contacts added before it. */
export function contactCursor(userId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${userId}`, "utf8").toString("base64url");
}

function startIndex(contacts: readonly TelegramUser[], after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const decoded = Buffer.from(after, "base64url").toString("utf8");
  const userId = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : null;
  const index = userId === null ? -1 : contacts.findIndex((contact) => contact.id === userId);
  if (index === -1) {
    throw new GatewayError(GatewayErrorCode.BAD_USER_INPUT, "`after` is not a cursor of a current contact.", {
      extensions: { field: "after" },
    });
  }
  return index + 1;
}

export const contacts: QueryResolvers["contacts"] = async (_parent, { first, after }, context) => {
  const pageSize = first ?? 50;
  const maxPageSize = context.config.contactsMaxPageSize;
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > maxPageSize) {
    throw new GatewayError(
      GatewayErrorCode.BAD_USER_INPUT,
      `\`first\` must be between 0 and ${maxPageSize}.`,
      {
        extensions: { field: "first" },
      },
    );
  }
  let all: TelegramUser[];
  try {
    all = await context.loaders.contacts();
  } catch (error) {
    throwQueryFailure(error, "the contacts");
  }
  const start = startIndex(all, after);
  const page = all.slice(start, start + pageSize);
  const edges: { cursor: string; node: TelegramUser }[] = page.map((node) => ({
    cursor: contactCursor(node.id),
    node,
  }));
  return {
    edges,
    pageInfo: { hasNextPage: start + page.length < all.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: all.length,
  };
};
