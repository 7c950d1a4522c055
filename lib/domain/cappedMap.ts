/**
 * A Map that forgets everything at once when it holds `limit` entries and a new key comes: a node's
 * cheap memory of facts it can always read again (a thread's id, a comment's author), bounded however
 * many keys requests bring, at the cost of a few reads after each reset. Wholesale, not LRU: nothing
 * to keep in order on the hot path.
 */
export class CappedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override set(key: K, value: V): this {
    if (this.size >= this.#limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }

  /** The value known for `key`, or else what `read` finds, remembered; nothing is remembered when it finds nothing. */
  async remembered(key: K, read: () => Promise<V | undefined>): Promise<V | undefined> {
    if (this.has(key)) return this.get(key);
    const value = await read();
    if (value !== undefined) this.set(key, value);
    return value;
  }
}
