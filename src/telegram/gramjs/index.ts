export { connectGramJsPort } from "./connect-gramjs-port.js";
export type { GramJsPortOptions } from "./connect-gramjs-port.js";
export type { GramJsLogLevel } from "./create-client.js";
