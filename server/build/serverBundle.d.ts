/** The compiled server, relative to the project root. */
export const SERVER_BUNDLE: string;
export function buildServerBundle(options: { dir: string }): void;
export function ensureServerBundle(options: { dir: string; log: (message: string) => void }): string;
