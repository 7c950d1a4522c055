/** Where the islands are built, relative to the project root: for production, and by `npm run dev`. */
export const ISLANDS_DIR: string;
export const ISLANDS_DEV_DIR: string;
/** The file in ISLANDS_DIR naming each entry's script and the chunks it imports. */
export const MANIFEST: string;
/** Each entry's source file, relative to the project root. */
export const ISLAND_ENTRIES: Record<string, string>;
/**
 * `later`: what the entry loads with import() and everything that needs at once, preloaded when it does.
 * `locales`: each locale's catalog chunk and what it needs at once; a page preloads its own locale's with `later`.
 */
export type IslandManifest = Record<string, { file: string; preload: string[]; later?: string[]; locales?: Record<string, string[]> }>;
/** esbuild's metafile, as far as the tests read it. */
export interface IslandsMetafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string; external?: boolean }[] }>;
}
export function compileIslands(options: { dir: string }): Promise<{ metafile: IslandsMetafile; outputFiles: { path: string; contents: Uint8Array }[] }>;
export function buildIslands(options: { dir: string }): Promise<IslandManifest>;
export function ensureIslands(options: { dir: string; log: (message: string) => void }): Promise<void>;
export function watchIslands(options: { dir: string; log: (message: string) => void }): Promise<{ dispose: () => Promise<void> }>;
