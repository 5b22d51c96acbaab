/**
 * Which DC answers a call and which DC a phone number's account lives on: a login on any other DC
 * is sent home with PHONE_MIGRATE_X (303), as Telegram does.
 */
import type { Account } from "../world/seed.js";
import { testNumberDc } from "../world/phone-numbers.js";
import { RpcFailure } from "../world/rpc-failure.js";
import type { SandboxWorld } from "../world/world.js";
import type { MethodContext } from "./context.js";

/** The DC answering this call. */
export function answeringDcId(context: MethodContext): number {
  return context.dcId;
}

/** An account's home DC: where it signed up, else the DC the world was seeded on. */
export function accountHomeDc(world: SandboxWorld, account: Account): number {
  return account.homeDcId ?? world.dcId;
}

/** Where `phone` logs in: its account's home, else a test number's DC, else the answering DC. */
export function phoneHomeDc(context: MethodContext, phone: string): number {
  const account = context.world.userByPhone(phone);
  if (account) return accountHomeDc(context.world, account);
  return testNumberDc(phone) ?? answeringDcId(context);
}

/** 303 PHONE_MIGRATE_X unless `phone` lives on the answering DC. */
export function requireHomeDc(context: MethodContext, phone: string): void {
  const home = phoneHomeDc(context, phone);
  if (home !== answeringDcId(context)) throw new RpcFailure(303, `PHONE_MIGRATE_${home}`);
}
