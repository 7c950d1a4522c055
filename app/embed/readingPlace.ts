import { choosePlace, placeShift, type Place } from '../../lib/client/readingPlace';

/**
 * What can hold a reader's place: the discussion's blocks and each comment's parts, never the
 * lists around them (a list's top stays put while replies arrive inside it), nor what follows the
 * reader's screen (the arrivals pill, the reply notice: they move with it, not with the content).
 */
const PLACE_HOLDERS = '.discussion > :not(ol, .arrivals, .reply-notices), article.comment > details > :not(ol)';

/**
 * The embed frame's memory of what was at the top of the host's screen (lib/client/readingPlace.ts):
 * `view` when the host says where its screen is, `remember` after each change has been reported,
 * and `moved` to ask how far that place went with a change.
 */
export function readingPlace(doc: Document) {
  let viewTop = 0;
  let place: Place<Element> = { kind: 'none' };
  const height = () => doc.documentElement.getBoundingClientRect().height;
  const top = (element: Element) => element.getBoundingClientRect().top + window.scrollY;

  const remember = () => {
    place = choosePlace(
      doc.querySelectorAll(PLACE_HOLDERS),
      (element) => {
        const box = element.getBoundingClientRect();
        return { top: box.top + window.scrollY, height: box.height };
      },
      { top: viewTop, height: height() },
    );
  };
  return {
    view(screenTop: number) {
      viewTop = screenTop;
      remember();
    },
    remember,
    moved: () => placeShift(place, { top: (element) => (element.isConnected ? top(element) : null), height: height() }),
  };
}
