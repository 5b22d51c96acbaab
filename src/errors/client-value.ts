/**
 * Values a client sent may be repeated in an answer or a log line only in short: a 900 KB
 * `userId` must not come back 900 KB long, nor be written to the log whole.
 */

/** Characters of one client value an error message or a log field may repeat. */
export const MAX_ECHOED_CHARS = 64;

/** `value` cut to `maxChars` characters, saying how long it really was. */
export function truncateClientValue(value: string, maxChars = MAX_ECHOED_CHARS): string {
  if (value.length <= maxChars) return value;
  return `${value.slice(0, maxChars)}... (${value.length} characters)`;
}

/** `value` quoted for a message, cut like {@link truncateClientValue}. */
export function quoteClientValue(value: string, maxChars = MAX_ECHOED_CHARS): string {
  if (value.length <= maxChars) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, maxChars))}... (${value.length} characters)`;
}

/** Longest error message the gateway sends. */
export const MAX_MESSAGE_CHARS = 1024;
const LONG_QUOTED = /"((?:[^"\\]|\\.){65,})"/g;

/**
 * For messages written by libraries (graphql-js prints the offending variable value into its
 * coercion errors): every long quoted run is cut, then the whole message.
 */
export function shortenMessage(message: string): string {
  if (message.length <= MAX_ECHOED_CHARS) return message;
  const shortened = message.replace(LONG_QUOTED, (_match, inner: string) => {
    return `"${inner.slice(0, MAX_ECHOED_CHARS)}..." (${inner.length} characters)`;
  });
  return truncateClientValue(shortened, MAX_MESSAGE_CHARS);
}
