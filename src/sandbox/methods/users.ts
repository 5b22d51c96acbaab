import { Api } from "telegram";
import { badRequest } from "../world/rpc-failure.js";
import { defineMethod } from "./context.js";
import { resolveInputUser } from "./input-user.js";
import { toApiPhoto, toApiUser } from "./to-api.js";
import { tlVector } from "./tl-values.js";

/** Like Telegram, answers only the users it could resolve: unknown ids and wrong access hashes are left out. */
export const getUsers = defineMethod({
  name: "users.getUsers",
  requestClass: Api.users.GetUsers,
  run: (request, { world, viewerId }) =>
    tlVector(
      request.id.flatMap((input) => {
        const user = resolveInputUser(world, viewerId, input);
        return user ? [toApiUser(world, viewerId, user)] : [];
      }),
    ),
});

/** `personalPhoto` is the photo the caller set for this user; `profilePhoto` the user's own. */
export const getFullUser = defineMethod({
  name: "users.getFullUser",
  requestClass: Api.users.GetFullUser,
  run: (request, { world, viewerId }) => {
    const user = resolveInputUser(world, viewerId, request.id);
    if (!user) throw badRequest("USER_ID_INVALID");
    const personal = world.personalPhoto(viewerId, user.id);
    const own = world.profilePhoto(user.id);
    const apiUser = toApiUser(world, viewerId, user);
    return new Api.users.UserFull({
      fullUser: new Api.UserFull({
        id: apiUser.id,
        settings: new Api.PeerSettings({}),
        notifySettings: new Api.PeerNotifySettings({}),
        commonChatsCount: 0,
        personalPhoto: personal ? toApiPhoto(world, personal) : undefined,
        profilePhoto: own ? toApiPhoto(world, own) : undefined,
      }),
      chats: [],
      users: [apiUser],
    });
  },
});
