/**
 * One value shared by the whole process, on a global symbol. Next.js bundles the pages apart from
 * the server's own modules, so a module imported by both is two modules at run time: the server
 * registers its one value here and the pages read it back (lib/services/registry.ts,
 * app/islands/islandScripts.ts).
 */
export function processGlobal<T>(name: string, options: { missing: string }): { register(value: T | undefined): void; get(): T } {
  const key = Symbol.for(name);
  const slot = globalThis as typeof globalThis & { [key]?: T };
  return {
    register(value) {
      slot[key] = value;
    },
    get() {
      const value = slot[key];
      if (value === undefined) throw new Error(options.missing);
      return value;
    },
  };
}
