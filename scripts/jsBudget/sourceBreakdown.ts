/**
 * Which packages and folders a page's script bytes come from, read from the chunks' source maps
 * (a build with `productionBrowserSourceMaps`, see docs/benchmarks.md). Each generated segment of
 * a mapping runs to the next segment on its line; its characters count for the segment's source.
 * The gzipped share of a source in a chunk is estimated as its share of the chunk's characters.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** The numbers of one mapping segment (base64 VLQ, as in the source map spec). */
export function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

export interface SourceMapV3 {
  sources: string[];
  mappings: string;
}

/** Characters of the generated `code` per source of its map; unmapped characters count as `(unmapped)`. */
export function charactersBySource(code: string, map: SourceMapV3): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (source: string, n: number) => n > 0 && counts.set(source, (counts.get(source) ?? 0) + n);
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  let sourceIndex = 0;
  lines.forEach((line, lineNo) => {
    let column = 0;
    // What runs from `start` on belongs to `current` (undefined: not mapped), until the next segment.
    let start = 0;
    let current: string | undefined;
    for (const segment of (mappingLines[lineNo] ?? '').split(',')) {
      if (segment === '') continue;
      const [columnDelta, sourceDelta] = decodeSegment(segment);
      column += columnDelta!;
      add(current ?? '(unmapped)', column - start);
      start = column;
      if (sourceDelta === undefined) current = undefined;
      else {
        sourceIndex += sourceDelta;
        current = map.sources[sourceIndex];
      }
    }
    add(current ?? '(unmapped)', line.length - start);
  });
  return counts;
}

/**
 * The group a source belongs to: an npm package (`zod`, `@socket.io/component-emitter`; what
 * Next.js ships precompiled, as `react-dom`, by its own name), or a folder of ours two levels
 * deep (`lib/contract`, `app/components`). A package whose map points at its repository on
 * GitHub (entities does) is named after the repository.
 */
export function sourceGroup(source: string): string {
  const repository = /^https?:\/\/raw\.githubusercontent\.com\/[^/]+\/([^/]+)\//.exec(source);
  if (repository) return repository[1]!;
  // Next.js names sources turbopack:///[project]/…; esbuild (the islands) relative to the map, ../../app/….
  const path = source.replace(/^turbopack:\/\/\//, '').replace(/^\[project\]\//, '').replace(/^(?:\.\.\/)+/, '');
  // A package's own copy of another (node_modules/a/node_modules/b) counts as b.
  const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist\/compiled\/((?:@[^/]+\/)?[^/]+))?/g)];
  const last = packages.at(-1);
  if (last) return last[1] === 'next' && last[2] ? last[2] : last[1]!;
  if (path.startsWith('[')) return path.split('/')[0]!;
  return path.split('/').slice(0, 2).join('/');
}
