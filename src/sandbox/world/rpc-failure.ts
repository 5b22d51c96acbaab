/** A Telegram RPC error the sandbox answers with (`rpc_error{error_code, error_message}`). */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(`${code} ${errorMessage}`);
    this.name = "RpcFailure";
  }
}

export const badRequest = (message: string): RpcFailure => new RpcFailure(400, message);
