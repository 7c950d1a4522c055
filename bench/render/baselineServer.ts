/**
 * The render baseline: a bare `node:http` server rendering the same comments
 * as Threadline's article page with React's `renderToString`, per request.
 * The comments (with their markdown HTML, made by lib/domain/markdown on
 * Threadline's side) are read once at start from BENCH_RENDER_DATA, a JSON
 * file the benchmark writes: no database on this side, so the baseline is
 * the render alone.
 *
 * GET /first: the comments of Threadline's first page, cut at the same depth.
 * GET /all:   every comment of the thread on one page, nothing cut.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderToString } from 'react-dom/server';
import type { CommentView } from '../../lib/contract/api';
import { exitWithBench } from '../common/baselineHttp';
import { baselinePage, type BaselinePageData } from './baselinePage';

export interface RenderData {
  title: string;
  articleParagraphs: string[];
  firstPage: CommentView[];
  all: CommentView[];
  cutAtLevel: number;
}

function main(): void {
  const file = process.env.BENCH_RENDER_DATA;
  if (!file) throw new Error('BENCH_RENDER_DATA is not set');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as RenderData;
  const pages: Record<string, BaselinePageData> = {
    '/first': { title: data.title, articleParagraphs: data.articleParagraphs, comments: data.firstPage, cutAtLevel: data.cutAtLevel },
    '/all': { title: data.title, articleParagraphs: data.articleParagraphs, comments: data.all, cutAtLevel: null },
  };
  const server = http.createServer((req, res) => {
    const page = req.method === 'GET' ? pages[req.url ?? ''] : undefined;
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const html = `<!DOCTYPE html>${renderToString(baselinePage(page))}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store' });
    res.end(html);
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  exitWithBench(() => server.close(() => process.exit(0)));
}

main();
