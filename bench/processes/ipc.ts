/**
 * Tiny request/response protocol over a forked child's IPC channel. The child announces itself
 * with one `ready` message, then answers `{ id, command, payload }` requests with `{ id, ok, ... }`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

interface ReadyMessage<TInfo> {
  kind: "ready";
  info: TInfo;
}
interface RequestMessage {
  kind: "request";
  id: number;
  command: string;
  payload: unknown;
}
type ResponseMessage =
  | { kind: "response"; id: number; ok: true; result: unknown }
  | { kind: "response"; id: number; ok: false; error: string };
interface FatalMessage {
  kind: "fatal";
  error: string;
}
type ChildMessage<TInfo> = ReadyMessage<TInfo> | ResponseMessage | FatalMessage;

/** A whole batch; stalled uploads inside it are caught sooner by the stall limit (stall-limit.ts). */
export const REQUEST_TIMEOUT_MS = 1_200_000;

export interface ChildHandle<TInfo> {
  readonly pid: number;
  readonly info: TInfo;
  request<TResult>(command: string, payload?: unknown): Promise<TResult>;
  /** Asks the child to shut down (it exits itself, so `--cpu-prof` gets written), then waits for exit. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Forks `bench/processes/<file>` under tsx and waits for its `ready` message. */
export function spawnChild<TInfo>(file: string, options: SpawnOptions = {}): Promise<ChildHandle<TInfo>> {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const child: ChildProcess = fork(path, [], {
    execArgv: ["--import", "tsx", "--expose-gc", ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const failAll = (reason: string) => {
    for (const waiter of pending.values()) waiter.reject(new Error(reason));
    pending.clear();
  };
  child.once("exit", (code, signal) => failAll(`${file} exited (code ${code}, signal ${signal})`));

  return new Promise<ChildHandle<TInfo>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not become ready`));
    }, options.readyTimeoutMs ?? 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready (code ${code})`));
    });
    child.on("message", (raw) => {
      const message = raw as ChildMessage<TInfo>;
      if (message.kind === "fatal") {
        clearTimeout(timer);
        reject(new Error(`${file}: ${message.error}`));
        return;
      }
      if (message.kind === "response") {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(`${file}: ${message.error}`));
        return;
      }
      clearTimeout(timer);
      const pid = child.pid;
      if (pid === undefined) throw new Error(`${file} has no pid`);
      resolve({
        pid,
        info: message.info,
        request: <TResult>(command: string, payload?: unknown) =>
          new Promise<TResult>((resolveRequest, rejectRequest) => {
            const id = nextId++;
            // A stuck scenario must fail the run, not hang it.
            const timer = setTimeout(() => {
              pending.delete(id);
              rejectRequest(
                new Error(`${file}: "${command}" got no answer in ${REQUEST_TIMEOUT_MS / 1000} s`),
              );
            }, REQUEST_TIMEOUT_MS);
            pending.set(id, {
              resolve: (value) => {
                clearTimeout(timer);
                resolveRequest(value as TResult);
              },
              reject: (error) => {
                clearTimeout(timer);
                rejectRequest(error);
              },
            });
            const request: RequestMessage = { kind: "request", id, command, payload };
            child.send(request);
          }),
        stop: async (timeoutMs = 10_000) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const request: RequestMessage = {
            kind: "request",
            id: nextId++,
            command: "shutdown",
            payload: null,
          };
          child.send(request);
          const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

export type CommandHandler = (payload: unknown) => Promise<unknown>;

function send(message: ChildMessage<unknown>): void {
  process.send?.(message);
}

/** Child side: answers requests with `handlers`; `shutdown` runs `onShutdown` and exits the process. */
export function serveCommands(
  handlers: Record<string, CommandHandler>,
  onShutdown: () => Promise<void>,
): void {
  process.on("message", (raw) => {
    const request = raw as RequestMessage;
    if (request.kind !== "request") return;
    if (request.command === "shutdown") {
      onShutdown()
        .catch(() => undefined)
        // GramJS keeps timers alive after disconnecting; exiting explicitly also writes --cpu-prof.
        .finally(() => process.exit(0));
      return;
    }
    const handler = handlers[request.command];
    const run =
      handler === undefined
        ? Promise.reject(new Error(`unknown command ${request.command}`))
        : handler(request.payload);
    run.then(
      (result) => send({ kind: "response", id: request.id, ok: true, result }),
      (error: unknown) => send({ kind: "response", id: request.id, ok: false, error: errorText(error) }),
    );
  });
  // The parent went away: do not linger.
  process.on("disconnect", () => process.exit(0));
}

export function announceReady<TInfo>(info: TInfo): void {
  send({ kind: "ready", info });
}

export function announceFatal(error: unknown): void {
  const message: FatalMessage = { kind: "fatal", error: errorText(error) };
  if (process.send === undefined) process.exit(1);
  process.send(message, () => process.exit(1));
}

/** `gc` needs `--expose-gc` (spawnChild passes it). */
export async function collectGarbage(): Promise<null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return null;
}
