import net from 'node:net';

/**
 * A TCP proxy between the server under test and PostgreSQL, to cut the database off and bring it
 * back without touching either:
 * - `refuse()`: every open connection is reset and the port stops listening (connection refused);
 * - `blackhole()`: connections are accepted and never answered (a dead network path);
 * - `restore()`: listening again on the same port, forwarding as before.
 */
export interface TcpProxy {
  port: number;
  refuse(): Promise<void>;
  blackhole(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'forward' | 'blackhole' = 'forward';
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'blackhole') return;
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.resetAndDestroy();
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async refuse() {
      await stop();
    },
    async blackhole() {
      await stop();
      mode = 'blackhole';
      await listen(port);
    },
    async restore() {
      await stop();
      mode = 'forward';
      await listen(port);
    },
    async close() {
      await stop();
    },
  };
}
