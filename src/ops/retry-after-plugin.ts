import type { ApolloServerPlugin, BaseContext } from "@apollo/server";

/**
 * A 429 says when to come back: `Retry-After` from the largest `retryAfterSeconds` among the
 * response's errors (flood waits and held-back Telegram calls on queries).
 */
export function retryAfterPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, errors }) {
          const seconds = Math.max(
            0,
            ...(errors ?? []).map((error) => {
              const value = error.extensions?.["retryAfterSeconds"];
              return typeof value === "number" && Number.isFinite(value) ? Math.ceil(value) : 0;
            }),
          );
          if (seconds > 0 && response.http.status === 429) {
            response.http.headers.set("retry-after", String(seconds));
          }
        },
      };
    },
  };
}
