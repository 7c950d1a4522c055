import net from 'node:net';

/**
 * A port that was free a moment ago (bound on port 0, then released): for a server whose address
 * must be known before it starts (PUBLIC_URL in mail links, a Redis or nginx configuration file).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
