/**
 * Keeping a reader's place in the embed's frame, which never scrolls itself: the host page does.
 * When the frame grows because content arrived above what the reader is looking at, the host
 * page must scroll by as much (server/embed/embed.js). The frame tells it how much: it remembers
 * what was at the top of the screen, as a browser's scroll anchoring does, and after a change
 * reports how far that moved.
 */

/** A box in the frame's document coordinates. */
export interface PlaceBox {
  top: number;
  height: number;
}

/**
 * Where the reader is. `none`: the frame's top is on screen, so whatever changes is in sight and
 * nothing is kept (the page stays as it is, like a page above its anchor). `element`: the first
 * rendered element whose top is at or below the screen's top holds the place. `end`: the screen
 * shows only what is below every element (the frame's end, or the host's page under it): all
 * growth is above the reader.
 */
export type Place<T> = { kind: 'none' } | { kind: 'element'; element: T; top: number } | { kind: 'end'; height: number };

/**
 * The place for a screen whose top is `view.top` in frame coordinates. `elements` in document
 * order (so their tops only grow); `box` is asked only until one qualifies.
 */
export function choosePlace<T>(elements: Iterable<T>, box: (element: T) => PlaceBox, view: { top: number; height: number }): Place<T> {
  if (view.top <= 0) return { kind: 'none' };
  for (const element of elements) {
    const { top, height } = box(element);
    // Nothing rendered (inside a folded comment) holds no place.
    if (height > 0 && top >= view.top) return { kind: 'element', element, top };
  }
  return { kind: 'end', height: view.height };
}

/**
 * How far the place moved down since it was chosen (negative: up), given where its element is
 * now (null when it left the document: the place is lost, nothing is moved) and the frame's height.
 */
export function placeShift<T>(place: Place<T>, now: { top(element: T): number | null; height: number }): number {
  if (place.kind === 'none') return 0;
  if (place.kind === 'end') return now.height - place.height;
  const top = now.top(place.element);
  return top === null ? 0 : top - place.top;
}
