/**
 * The page cache's baseline: a bare `node:http` server answering every GET with the same bytes from
 * memory (BENCH_PAGE_FILE, Threadline's own page as it served it), with its content type and length:
 * the least any server can do per page view, so ours' cached path is measured against nothing but HTTP.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exitWithBench } from '../common/baselineHttp';

function main(): void {
  const file = process.env.BENCH_PAGE_FILE;
  if (!file) throw new Error('BENCH_PAGE_FILE is not set');
  const body = fs.readFileSync(file);
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length };
  const server = http.createServer((req, res) => {
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  exitWithBench(() => server.close(() => process.exit(0)));
}

main();
