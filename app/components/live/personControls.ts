/** What only a signed-in reader uses on a reader page, in one chunk (./personOnly.ts). */
export { ThreadWatchBar } from '../notices/ThreadWatchBar';
export { EmbedBell } from '../bell/EmbedBell';
