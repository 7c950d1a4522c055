/**
 * The part of the embed's frame on the reader's screen. The frame is as tall as its content and
 * never scrolls: the host page does, and tells the frame where its screen starts and how tall it
 * is (`threadline:view`, docs/embed.md). What follows the reader (the arrivals pill, the reply
 * notice) is placed by this, not by the frame's own viewport, which is the whole discussion.
 */

/** The top and bottom of the screen in the frame's coordinates, each within the frame. */
export interface ScreenInFrame {
  top: number;
  bottom: number;
}

/**
 * `view.top`: where the host's screen starts in frame coordinates (negative while the frame's top
 * is on screen); `view.height`: the screen's height, null when the host did not say (its bottom is
 * then taken to be the frame's). A screen wholly above or below the frame gives an edge of it.
 */
export function screenInFrame(view: { top: number; height: number | null }, frameHeight: number): ScreenInFrame {
  const within = (y: number) => Math.min(Math.max(0, y), frameHeight);
  return { top: within(view.top), bottom: view.height === null ? frameHeight : within(view.top + view.height) };
}
