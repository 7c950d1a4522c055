import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePlace, placeShift, type PlaceBox } from './readingPlace';

/** Blocks of a frame's document, stacked from the top: name → box. */
function stack(...blocks: [string, number][]): Map<string, PlaceBox> {
  const boxes = new Map<string, PlaceBox>();
  let top = 0;
  for (const [name, height] of blocks) {
    boxes.set(name, { top, height });
    top += height;
  }
  return boxes;
}

const placeIn = (boxes: Map<string, PlaceBox>, viewTop: number, height: number) => choosePlace(boxes.keys(), (name) => boxes.get(name)!, { top: viewTop, height });
const shiftIn = (boxes: Map<string, PlaceBox>, place: ReturnType<typeof placeIn>, height: number) => placeShift(place, { top: (name) => boxes.get(name)?.top ?? null, height });

test('with the frame’s top on screen nothing is kept: what changes is in sight', () => {
  const boxes = stack(['header', 100], ['comment 1', 120], ['comment 2', 120]);
  assert.deepEqual(placeIn(boxes, 0, 340), { kind: 'none' });
  assert.deepEqual(placeIn(boxes, -200, 340), { kind: 'none' });
  assert.equal(shiftIn(stack(['header', 100], ['new', 300], ['comment 1', 120]), { kind: 'none' }, 520), 0);
});

test('the first element whose top is on screen holds the place; replies arriving above it move it by their height', () => {
  const before = stack(['header', 100], ['comment 1', 120], ['comment 2', 120], ['comment 3', 120]);
  const place = placeIn(before, 200, 460);
  assert.deepEqual(place, { kind: 'element', element: 'comment 2', top: 220 });
  const after = stack(['header', 100], ['comment 1', 120], ['reply', 90], ['comment 2', 120], ['comment 3', 120]);
  assert.equal(shiftIn(after, place, 550), 90);
});

test('growth below the place (more comments loaded, a reply box opened under it) moves nothing', () => {
  const place = placeIn(stack(['header', 100], ['comment 1', 120], ['comment 2', 120]), 150, 340);
  assert.equal(shiftIn(stack(['header', 100], ['comment 1', 120], ['comment 2', 120], ['reply form', 200]), place, 540), 0);
});

test('content shrinking above the place moves it up', () => {
  const place = placeIn(stack(['typing notice', 30], ['comment 1', 120]), 10, 150);
  assert.equal(shiftIn(stack(['comment 1', 120]), place, 120), -30);
});

test('elements with no box (inside a folded comment) hold no place', () => {
  const boxes = new Map<string, PlaceBox>([
    ['folded reply', { top: 0, height: 0 }],
    ['comment 2', { top: 300, height: 100 }],
  ]);
  assert.deepEqual(placeIn(boxes, 50, 400), { kind: 'element', element: 'comment 2', top: 300 });
});

test('a screen below every element (the host page under the frame) is kept by the frame’s end: all growth is above', () => {
  const place = placeIn(stack(['header', 100], ['comment 1', 120]), 900, 220);
  assert.deepEqual(place, { kind: 'end', height: 220 });
  assert.equal(shiftIn(stack(['header', 100], ['comment 1', 120], ['reply', 80]), place, 300), 80);
});

test('a place whose element left the document is lost: nothing is moved', () => {
  const place = placeIn(stack(['comment 1', 120], ['comment 2', 120]), 60, 240);
  assert.equal(shiftIn(stack(['comment 1', 400]), place, 400), 0);
});
