/**
 * The counts benchmark's baseline: what a front page costs when every change goes to every reader.
 * A bare node:http server with the same stream as Threadline's (`GET /api/counts/live?slugs=…`,
 * Server-Sent Events), but no batching: each comment (a line `<slug>\n` on its ingest socket, from
 * bench/counts/writer.ts) is written at once, as its own message, to every reader watching its thread.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { exitWithBench } from '../common/baselineHttp';

function main(): void {
  const counts = new Map<string, number>();
  const watchers = new Map<string, Set<http.ServerResponse>>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://baseline.invalid');
    if (url.pathname !== '/api/counts/live') return void res.writeHead(404).end();
    const slugs = (url.searchParams.get('slugs') ?? '').split(',').filter(Boolean);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    res.write(`event: counts\ndata: ${JSON.stringify(Object.fromEntries(slugs.map((s) => [s, counts.get(s) ?? 0])))}\n\n`);
    for (const slug of slugs) {
      let set = watchers.get(slug);
      if (!set) watchers.set(slug, (set = new Set()));
      set.add(res);
    }
    res.once('close', () => {
      for (const slug of slugs) watchers.get(slug)?.delete(res);
    });
  });

  const ingest = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const slug = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const count = (counts.get(slug) ?? 0) + 1;
        counts.set(slug, count);
        const message = `event: counts\ndata: {${JSON.stringify(slug)}:${count}}\n\n`;
        for (const res of watchers.get(slug) ?? []) res.write(message);
      }
    });
    socket.on('error', () => {});
  });

  ingest.listen(0, '127.0.0.1', () => {
    console.log(`ingest on ${(ingest.address() as AddressInfo).port}`);
    server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  exitWithBench(() => {
    ingest.close();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main();
