/** A free TCP port for the Worker tests that start their own servers. */
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1, so a test does not collide with a running `npm start` or another test. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
