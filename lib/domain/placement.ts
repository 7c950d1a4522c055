/** Where a comment sits in its thread's tree. */
export interface Placement {
  depth: number;
  /** The top-level comment its branch starts from. */
  rootId: string;
}

/**
 * A reply sits one level below its parent, in its parent's branch; a
 * top-level comment starts a branch of its own. (Posting states the same in
 * SQL, `postedColumns` in lib/store/posting/rules.ts: its one statement never
 * reads the parent into JS; the live page places its own comment with this
 * before the server has it.)
 */
export function placeUnder(id: string, parent: Placement | null): Placement {
  return parent ? { depth: parent.depth + 1, rootId: parent.rootId } : { depth: 1, rootId: id };
}
