export function isCurrent(options: { dir: string; output: string; inputs: readonly string[] }): boolean;
