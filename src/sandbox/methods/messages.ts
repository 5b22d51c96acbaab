import { Api } from "telegram";
import { badRequest } from "../world/rpc-failure.js";
import { defineMethod } from "./context.js";
import { resolveInputPeer } from "./input-user.js";
import { toApiMessage, toApiUsers } from "./to-api.js";

const DEFAULT_HISTORY_LIMIT = 100;

/**
 * The private chat with one user, newest first. The sandbox only has service messages
 * (messageActionSuggestProfilePhoto), so this is how a contact's client sees a suggestion.
 * Honours `limit` and `offset_id`; other paging fields are ignored.
 */
export const getHistory = defineMethod({
  name: "messages.getHistory",
  requestClass: Api.messages.GetHistory,
  run: (request, { world, viewerId }) => {
    const peer = resolveInputPeer(world, viewerId, request.peer);
    if (!peer) throw badRequest("PEER_ID_INVALID");
    const limit = request.limit > 0 ? request.limit : DEFAULT_HISTORY_LIMIT;
    const messages = world
      .serviceMessages(viewerId)
      .filter(
        (message) => message.peerId === peer.id && (request.offsetId <= 0 || message.id < request.offsetId),
      )
      .reverse()
      .slice(0, limit);
    return new Api.messages.Messages({
      messages: messages.map((message) => toApiMessage(world, message)),
      chats: [],
      users: toApiUsers(world, viewerId, new Set([viewerId, peer.id])),
    });
  },
});
