import { Api } from "telegram";
import { defineMethod, type DcAddress } from "./context.js";

const CONFIG_TTL_SECONDS = 3600;

/**
 * The `Config` DC `dcId` answers help.getConfig with: `this_dc` is the answering DC and
 * `dc_options` lists every DC of the cluster at the address and port clients reach it on (one
 * entry each, the ipv6 flag by address family). GramJS needs an entry for its own DC (id + ip
 * family) or it loops forever.
 */
export function sandboxConfig(dcId: number, dcs: readonly DcAddress[], now: number): Api.Config {
  return new Api.Config({
    date: now,
    expires: now + CONFIG_TTL_SECONDS,
    testMode: false,
    thisDc: dcId,
    dcOptions: dcs.map(
      (dc) =>
        new Api.DcOption({
          ipv6: dc.host.includes(":"),
          id: dc.id,
          ipAddress: dc.host,
          port: dc.port,
        }),
    ),
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
  dcScope: "any",
  run: (_request, { world, dcId, dcs }) => sandboxConfig(dcId, dcs, world.unixNow()),
});

/**
 * Telegram answers with the answering DC as `this_dc`, the DC nearest to the caller's IP as
 * `nearest_dc` and the IP's country. Every sandbox client is on loopback, which belongs to no
 * country ("ZZ", unknown region) and is nearest to the self account's DC.
 */
export const getNearestDc = defineMethod({
  name: "help.getNearestDc",
  requestClass: Api.help.GetNearestDc,
  allowUnregistered: true,
  dcScope: "any",
  run: (_request, { world, dcId }) =>
    new Api.NearestDc({ country: "ZZ", thisDc: dcId, nearestDc: world.dcId }),
});
