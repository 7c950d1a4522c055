/**
 * What a comment box keeps (the reader's name, unsent drafts): in the browser's storage, so it
 * survives a reload, and in memory for the page's life, so it is kept even where storage is refused
 * (a frame on another site when third-party data is blocked, where reading `localStorage` throws;
 * private modes; a full quota).
 */
export interface KeptText {
  load(key: string): string;
  /** An empty value forgets the key. */
  save(key: string, value: string): void;
}

export function keptText(storage: () => Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): KeptText {
  // Only what the storage refused: where it works, it alone decides (another tab may have changed it).
  const memory = new Map<string, string>();
  return {
    load(key) {
      try {
        const stored = storage().getItem(key);
        if (stored !== null) return stored;
      } catch {
        // Refused: the page's memory is all there is.
      }
      return memory.get(key) ?? '';
    },
    save(key, value) {
      try {
        if (value) storage().setItem(key, value);
        else storage().removeItem(key);
        memory.delete(key);
      } catch {
        if (value) memory.set(key, value);
        else memory.delete(key);
        // A full quota: no older copy may outlive this one in the storage.
        try {
          storage().removeItem(key);
        } catch {
          // Refused altogether.
        }
      }
    },
  };
}
