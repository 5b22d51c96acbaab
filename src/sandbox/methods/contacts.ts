import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { badRequest } from "../world/rpc-failure.js";
import { defineMethod } from "./context.js";
import { toApiUser, toApiUsers } from "./to-api.js";

/** Telegram usernames: 5-32 characters of a-z, 0-9 and "_", starting with a letter, not ending with "_". */
const USERNAME_PATTERN = /^[a-z][a-z0-9_]{3,30}[a-z0-9]$/i;

export const getContacts = defineMethod({
  name: "contacts.getContacts",
  requestClass: Api.contacts.GetContacts,
  run: (_request, { world, viewerId }) => {
    const ids = world.contactsOf(viewerId);
    return new Api.contacts.Contacts({
      contacts: ids.map(
        (userId) =>
          new Api.Contact({ userId: returnBigInt(userId), mutual: world.isContact(userId, viewerId) }),
      ),
      savedCount: 0,
      users: toApiUsers(world, viewerId, ids),
    });
  },
});

export const resolveUsername = defineMethod({
  name: "contacts.resolveUsername",
  requestClass: Api.contacts.ResolveUsername,
  run: (request, { world, viewerId }) => {
    if (!USERNAME_PATTERN.test(request.username)) throw badRequest("USERNAME_INVALID");
    const user = world.userByUsername(request.username);
    if (!user) throw badRequest("USERNAME_NOT_OCCUPIED");
    return new Api.contacts.ResolvedPeer({
      peer: new Api.PeerUser({ userId: returnBigInt(user.id) }),
      chats: [],
      users: [toApiUser(world, viewerId, user)],
    });
  },
});
