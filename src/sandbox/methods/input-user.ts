/** InputUser / InputPeer resolution as Telegram does it: ids must come with the caller's own access hash. */
import { Api } from "telegram";
import type { Account } from "../world/seed.js";
import type { SandboxWorld } from "../world/world.js";

/**
 * GramJS types request fields as `EntityLike` (its client resolves them before sending); what
 * arrives at a server is always a TL object, checked here with `instanceof`.
 */
type DecodedInput = unknown;

/** `null` when the input names nobody the caller may address (unknown id, wrong access hash, empty). */
export function resolveInputUser(world: SandboxWorld, viewerId: string, input: DecodedInput): Account | null {
  if (input instanceof Api.InputUserSelf) return world.user(viewerId) ?? null;
  if (input instanceof Api.InputUser)
    return resolveIdAndHash(world, viewerId, input.userId.toString(), input.accessHash.toString());
  if (input instanceof Api.InputUserFromMessage) {
    const chatPeer = resolveInputPeer(world, viewerId, input.peer);
    if (!chatPeer) return null;
    const userId = input.userId.toString();
    const seen = world
      .serviceMessages(viewerId)
      .some(
        (message) =>
          message.id === input.msgId &&
          message.peerId === chatPeer.id &&
          (message.fromId === userId || message.peerId === userId),
      );
    return seen ? (world.user(userId) ?? null) : null;
  }
  return null;
}

export function resolveInputPeer(world: SandboxWorld, viewerId: string, input: DecodedInput): Account | null {
  if (input instanceof Api.InputPeerSelf) return world.user(viewerId) ?? null;
  if (input instanceof Api.InputPeerUser)
    return resolveIdAndHash(world, viewerId, input.userId.toString(), input.accessHash.toString());
  return null;
}

function resolveIdAndHash(
  world: SandboxWorld,
  viewerId: string,
  userId: string,
  accessHash: string,
): Account | null {
  const user = world.user(userId);
  if (!user || world.accessHashFor(viewerId, userId) !== accessHash) return null;
  return user;
}
