/**
 * Downloading a 1 MB photo: through the gateway (`/media`, the size's signed URL from the API)
 * versus GramJS `downloadMedia` in the baseline process, on the same DC. Each sample is a photo
 * set just before, so the gateway's in-memory cache never answers; both sides first read the
 * user's photos (the gateway to find the file and its reference, GramJS for the Photo object).
 * The DC re-encodes an uploaded photo into its sizes as Telegram does, so the largest size is far
 * smaller than the upload. Time to first byte and of the whole download, the starting side alternating.
 */
import { performance } from "node:perf_hooks";
import type { BenchEnv } from "../bench-env.js";
import { jpegPayload, MB } from "../payload.js";
import type { DownloadRequest, DownloadResult } from "../processes/baseline-protocol.js";
import type { MetricResult, TargetName } from "../results-types.js";
import { metricFrom } from "./alternate.js";

const SET_PHOTO = `mutation BenchSet($input: ContactPhotoInput!) { setContactPhoto(input: $input) {
  __typename ... on ContactPhotoPayload { photo { sizes { type width height url } } } } }`;

interface ListedSize {
  type: string;
  width: number;
  height: number;
  url: string;
}

/**
 * The largest size served from `/media`, as GramJS's `downloadMedia` picks the largest: the stripped
 * size `i` is an inline `data:` URL and would measure nothing.
 */
function largestServedSize(sizes: ListedSize[]): ListedSize | undefined {
  return sizes
    .filter((size) => !size.url.startsWith("data:"))
    .reduce<ListedSize | undefined>(
      (best, size) =>
        best === undefined || size.width * size.height > best.width * best.height ? size : best,
      undefined,
    );
}

async function setPhoto(graphqlUrl: string, userId: string, payload: Buffer): Promise<string> {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({ query: SET_PHOTO, variables: { input: { userId, photo: null } } }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
  form.append("0", new Blob([payload], { type: "image/jpeg" }), "bench.jpg");
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "Apollo-Require-Preflight": "true" },
    body: form,
  });
  const body = (await response.json()) as {
    data?: { setContactPhoto?: { photo?: { sizes: ListedSize[] } } };
  };
  const url = largestServedSize(body.data?.setContactPhoto?.photo?.sizes ?? [])?.url;
  if (url === undefined) throw new Error(`setContactPhoto failed: ${JSON.stringify(body)}`);
  return new URL(url, graphqlUrl).href;
}

async function gatewayDownload(url: string): Promise<DownloadResult> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`GET ${url}: ${response.status}`);
  let firstByteMs: number | null = null;
  let bytes = 0;
  for await (const chunk of response.body) {
    firstByteMs ??= performance.now() - started;
    bytes += chunk.byteLength;
  }
  const totalMs = performance.now() - started;
  return { firstByteMs: firstByteMs ?? totalMs, totalMs, bytes };
}

function describe(downloaded: Map<TargetName, number>): string {
  return [...downloaded].map(([name, bytes]) => `${name} ${bytes}`).join(", ");
}

export async function downloadScenario(
  env: BenchEnv,
  params: { sizeBytes: number; samplesPerRound: number; rounds: number },
): Promise<MetricResult[]> {
  const target = env.contacts[0];
  if (target === undefined) throw new Error("the bench DC seeds no contact");
  const payload = jpegPayload(params.sizeBytes);
  const results = new Map<TargetName, DownloadResult[]>([
    ["gateway", []],
    ["gramjs", []],
  ]);
  // The DC re-encodes a photo into its sizes as Telegram does; each side downloads the size it picks.
  const downloaded = new Map<TargetName, number>();
  for (let round = 0; round < params.rounds; round++) {
    for (let sample = 0; sample < params.samplesPerRound; sample++) {
      const url = await setPhoto(env.gateway.info.url, target.id, payload);
      const order: TargetName[] = (round + sample) % 2 === 0 ? ["gateway", "gramjs"] : ["gramjs", "gateway"];
      for (const name of order) {
        const result =
          name === "gateway"
            ? await gatewayDownload(url)
            : await env.gramjs.request<DownloadResult>("download", { target } satisfies DownloadRequest);
        if (result.bytes === 0) throw new Error(`${name} downloaded nothing`);
        downloaded.set(name, result.bytes);
        results.get(name)!.push(result);
      }
    }
    process.stderr.write(`  download round ${round + 1}/${params.rounds} done\n`);
  }
  const mb = params.sizeBytes / MB;
  const pick = (value: (result: DownloadResult) => number) =>
    new Map([...results].map(([name, runs]) => [name, runs.map(value)]));
  return [
    metricFrom(
      {
        id: "download-1mb-ttfb",
        label: `download of a ${mb} MB photo's largest size (bytes: ${describe(downloaded)}): time to first byte`,
        unit: "ms",
        better: "lower",
      },
      pick((result) => result.firstByteMs),
    ),
    metricFrom(
      {
        id: "download-1mb-total",
        label: `download of a ${mb} MB photo's largest size (bytes: ${describe(downloaded)}): whole download`,
        unit: "ms",
        better: "lower",
      },
      pick((result) => result.totalMs),
    ),
  ];
}
