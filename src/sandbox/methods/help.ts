import { Api } from "telegram";
import { defineMethod } from "./context.js";

const CONFIG_TTL_SECONDS = 3600;

/**
 * The `Config` the DC answers help.getConfig with. GramJS needs a dc_options entry for its own DC
 * (id + ip family) or it loops forever.
 */
export function sandboxConfig(
  dcId: number,
  endpoint: { host: string; port: number },
  now: number,
): Api.Config {
  return new Api.Config({
    date: now,
    expires: now + CONFIG_TTL_SECONDS,
    testMode: false,
    thisDc: dcId,
    dcOptions: [
      new Api.DcOption({
        ipv6: endpoint.host.includes(":"),
        id: dcId,
        ipAddress: endpoint.host,
        port: endpoint.port,
      }),
    ],
    dcTxtDomainName: "sandbox.invalid",
    chatSizeMax: 200,
    megagroupSizeMax: 200_000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210_000,
    offlineBlurTimeoutMs: 5_000,
    offlineIdleTimeoutMs: 30_000,
    onlineCloudTimeoutMs: 300_000,
    notifyCloudDelayMs: 30_000,
    notifyDefaultDelayMs: 1_500,
    pushChatPeriodMs: 60_000,
    pushChatLimit: 2,
    editTimeLimit: 172_800,
    revokeTimeLimit: 2_147_483_647,
    revokePmTimeLimit: 2_147_483_647,
    ratingEDecay: 2_419_200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604_800,
    callReceiveTimeoutMs: 20_000,
    callRingTimeoutMs: 90_000,
    callConnectTimeoutMs: 30_000,
    callPacketTimeoutMs: 10_000,
    meUrlPrefix: "https://t.me/",
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: dcId,
  });
}

export const getConfig = defineMethod({
  name: "help.getConfig",
  requestClass: Api.help.GetConfig,
  allowUnregistered: true,
  run: (_request, { world, endpoint }) => sandboxConfig(world.dcId, endpoint, world.unixNow()),
});

export const getNearestDc = defineMethod({
  name: "help.getNearestDc",
  requestClass: Api.help.GetNearestDc,
  allowUnregistered: true,
  run: (_request, { world }) =>
    new Api.NearestDc({ country: "ZZ", thisDc: world.dcId, nearestDc: world.dcId }),
});
