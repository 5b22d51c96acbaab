/**
 * Hive Gateway (MIT) in front of this subgraph and its neighbours, with file uploads working:
 *
 *   npx @graphql-hive/gateway supergraph deploy/supergraph.graphql -c deploy/hive-gateway/gateway.config.ts
 *
 * Three settings matter, each one learnt from a failure:
 * - `multipart: true`: the gateway runtime turns GraphQL multipart requests off by default (since
 *   2.0) and answers uploads as if the variables were missing.
 * - Header propagation: the gateway does not forward client headers to subgraphs. This subgraph
 *   checks `Apollo-Require-Preflight` / `X-Apollo-Operation-Name` before it reads a multipart body
 *   and refuses without reading it, which the gateway then reports as a masked "Unexpected error"
 *   (EPIPE while it was still sending the file). `Authorization` goes along when the subgraph has
 *   bearer tokens on (GATEWAY_TOKENS).
 * - CSRF prevention stays on at the edge: multipart is a "simple" request browsers send cross-site
 *   without a preflight, so the gateway requires one of the same two headers Apollo clients send.
 *
 * Hive buffers each upload in memory and caps a request body at 25,000,000 bytes (GraphQL Yoga's
 * default, not configurable through the gateway): enough for this subgraph's largest request, a
 * 10 MiB photo plus a 10 MiB video (MAX_PHOTO_BYTES, MAX_VIDEO_BYTES, MAX_FILES_PER_REQUEST = 2).
 */
import type { GatewayConfigSupergraph } from "@graphql-hive/gateway-runtime";

/** Either one satisfies CSRF prevention, here and at the subgraph; Apollo Client sends the first. */
export const PREFLIGHT_HEADERS = ["apollo-require-preflight", "x-apollo-operation-name"] as const;

/** What each subgraph request carries over from the client's request. */
export const FORWARDED_HEADERS = [...PREFLIGHT_HEADERS, "authorization"] as const;

/** Everything but the supergraph, which the command line (or a test) supplies. */
export const gatewayConfig = {
  multipart: true,
  csrfPrevention: { requestHeaders: [...PREFLIGHT_HEADERS] },
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const forwarded: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers.get(name);
        if (value !== null) forwarded[name] = value;
      }
      return forwarded;
    },
  },
} satisfies Omit<GatewayConfigSupergraph, "supergraph">;
