// A stand-in for Hyperdrive's connection pool, in front of the test PostgreSQL server. Hyperdrive
// takes any number of Worker connections and keeps a few open to the database; miniflare's local
// Hyperdrive binding connects straight to the server instead, so the suite's bursts (races.test.ts
// sends 200 requests at once, each with its own connection) would need more backends than
// PostgreSQL's default max_connections of 100. The gate relays at most `limit` connections at a time;
// the next one waits, unanswered, until one closes, and gives up by its own connect timeout if none
// does, as it would behind a pool that stays full.
import net from "node:net";

export interface ConnectionGate {
  port: number;
  close(): Promise<void>;
}

export async function startConnectionGate(
  target: { host: string; port: number },
  limit: number,
): Promise<ConnectionGate> {
  const sockets = new Set<net.Socket>();
  const waiting: net.Socket[] = [];
  let open = 0;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    // A reset from either side ends that pair; it must not take the test run down.
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  };

  const admitNext = () => {
    while (open < limit && waiting.length > 0) {
      const client = waiting.shift();
      if (client && !client.destroyed) relay(client);
    }
  };

  const relay = (client: net.Socket) => {
    open += 1;
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      client.destroy();
      upstream.destroy();
      open -= 1;
      admitNext();
    };
    client.on("close", finish);
    upstream.on("close", finish);
    client.pipe(upstream).pipe(client);
  };

  const server = net.createServer((client) => {
    track(client);
    // Until admitted, what the client sends (its startup message) waits in the socket's buffer.
    client.once("close", () => {
      const index = waiting.indexOf(client);
      if (index >= 0) waiting.splice(index, 1);
    });
    waiting.push(client);
    admitNext();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts TCP connections and never says a word: a database that hangs. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
