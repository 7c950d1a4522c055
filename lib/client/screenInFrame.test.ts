import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenInFrame } from './screenInFrame';

test('a frame whose top is on screen: its screen starts at its top', () => {
  assert.deepEqual(screenInFrame({ top: -200, height: 700 }, 3000), { top: 0, bottom: 500 });
});

test('half-way down a long frame: the screen is the part of it the reader sees', () => {
  assert.deepEqual(screenInFrame({ top: 1200, height: 700 }, 3000), { top: 1200, bottom: 1900 });
});

test('near the frame’s end, or past it: the screen stops at the frame’s bottom', () => {
  assert.deepEqual(screenInFrame({ top: 2600, height: 700 }, 3000), { top: 2600, bottom: 3000 });
  assert.deepEqual(screenInFrame({ top: 3500, height: 700 }, 3000), { top: 3000, bottom: 3000 });
});

test('a frame still below the screen: both edges at its top', () => {
  assert.deepEqual(screenInFrame({ top: -900, height: 700 }, 3000), { top: 0, bottom: 0 });
});

test('a host that does not say its height: the bottom is the frame’s', () => {
  assert.deepEqual(screenInFrame({ top: 400, height: null }, 3000), { top: 400, bottom: 3000 });
});
