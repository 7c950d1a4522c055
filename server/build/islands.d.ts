/** Where the islands are built, relative to the project root: for production, and by `npm run dev`. */
export const ISLANDS_DIR: string;
export const ISLANDS_DEV_DIR: string;
/** The file in ISLANDS_DIR naming each entry's script and the chunks it imports. */
export const MANIFEST: string;
export type IslandManifest = Record<string, { file: string; preload: string[] }>;
export function buildIslands(options: { dir: string }): IslandManifest;
export function ensureIslands(options: { dir: string; log: (message: string) => void }): void;
export function watchIslands(options: { dir: string; log: (message: string) => void }): Promise<{ dispose: () => Promise<void> }>;
