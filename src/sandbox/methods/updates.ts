import { Api } from "telegram";
import { defineMethod } from "./context.js";

/** The sandbox pushes no updates; this only satisfies clients that ask for the state on start. */
export const getState = defineMethod({
  name: "updates.getState",
  requestClass: Api.updates.GetState,
  run: (_request, { world }) =>
    new Api.updates.State({ pts: 1, qts: 0, date: world.unixNow(), seq: 0, unreadCount: 0 }),
});
