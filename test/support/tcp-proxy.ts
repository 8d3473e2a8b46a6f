/** A TCP proxy a test can cut and restore, to make a dependency (Temporal, MariaDB) unreachable for a while. */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports';

export interface TcpProxy {
  /** `127.0.0.1:<port>`, to use instead of the target's address. */
  address: string;
  port: number;
  /** Drops every connection and stops listening: connecting is refused, as when the dependency is down. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = async () => {
    if (!server.listening) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  };
  const stop = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  return { address: `127.0.0.1:${port}`, port, cut: stop, restore: listen, close: stop };
}
