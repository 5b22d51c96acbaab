/**
 * `npm run supergraph -- contacts=http://127.0.0.1:4000/graphql [name=url ...]`: composes a
 * Federation 2 supergraph from the SDL each running subgraph serves (`_service { sdl }`), the
 * schema a router will actually talk to, and prints it. `SUBGRAPH_AUTHORIZATION` is sent as the
 * `Authorization` header when a subgraph has bearer tokens on.
 *
 * deploy/supergraph.graphql is this output for the gateway alone on its default address.
 */
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

export interface ServedSubgraph {
  name: string;
  /** The routing URL: where the router sends this subgraph's requests. */
  url: string;
}

export class CompositionFailed extends Error {
  override readonly name = "CompositionFailed";
}

/** The SDL a running subgraph serves, read the way Rover's `subgraph_url` reads it. */
export async function fetchServedSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (response.status !== 200 || typeof sdl !== "string") {
    throw new CompositionFailed(`${url} served no subgraph SDL (HTTP ${response.status})`);
  }
  return sdl;
}

/** Composes the subgraphs' served SDL into a supergraph; throws with every composition error. */
export async function composeFromServed(
  subgraphs: readonly ServedSubgraph[],
  headers: Record<string, string> = {},
): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async ({ name, url }) => ({
      name,
      url,
      typeDefs: parse(await fetchServedSdl(url, headers)),
    })),
  );
  const result = composeServices(services);
  if (result.errors !== undefined) {
    throw new CompositionFailed(result.errors.map((error) => error.message).join("\n"));
  }
  return result.supergraphSdl;
}

function parseArguments(args: readonly string[]): ServedSubgraph[] {
  if (args.length === 0) throw new CompositionFailed("usage: compose-supergraph name=url [name=url ...]");
  return args.map((arg) => {
    const separator = arg.indexOf("=");
    if (separator <= 0) throw new CompositionFailed(`expected name=url, got "${arg}"`);
    return { name: arg.slice(0, separator), url: arg.slice(separator + 1) };
  });
}

async function main(): Promise<void> {
  const authorization = process.env["SUBGRAPH_AUTHORIZATION"];
  const supergraph = await composeFromServed(
    parseArguments(process.argv.slice(2)),
    authorization === undefined ? {} : { authorization },
  );
  process.stdout.write(supergraph.endsWith("\n") ? supergraph : `${supergraph}\n`);
}

if (import.meta.url === new URL(process.argv[1] ?? "", "file://").href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
