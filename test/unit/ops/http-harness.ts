import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

export interface RunningApp {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a free port; `close` also ends keep-alive sockets so the test exits. */
export async function listen(app: Express): Promise<RunningApp> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
