import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * The lines where the blocks of a stylesheet open that never close, and of any `}` that closes
 * nothing. An unclosed block is no syntax error to a browser: with CSS nesting, every rule after it
 * becomes a rule *inside* it (`.oidc-providers ul .account-section`), and quietly applies nowhere.
 */
function unbalancedBlocks(css: string): { unclosed: number[]; stray: number[] } {
  const open: number[] = [];
  const stray: number[] = [];
  let line = 1;
  for (let i = 0; i < css.length; i++) {
    const c = css[i]!;
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      const stop = end < 0 ? css.length : end + 2;
      line += css.slice(i, stop).split('\n').length - 1;
      i = stop - 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c && css[j] !== '\n') j += css[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '\n') line++;
    else if (c === '{') open.push(line);
    else if (c === '}' && open.pop() === undefined) stray.push(line);
  }
  return { unclosed: open, stray };
}

test('the rules of a stylesheet are found: unclosed blocks and stray braces by line, comments and strings passed over', () => {
  assert.deepEqual(unbalancedBlocks('a {\n  b: c;\n}\n/* { */\nd { content: "}"; }\n'), { unclosed: [], stray: [] });
  assert.deepEqual(unbalancedBlocks('a {\n  b: c;\n/* next */\nd {\n  e: f;\n}\n'), { unclosed: [1], stray: [] });
  assert.deepEqual(unbalancedBlocks('a { }\n}\n'), { unclosed: [], stray: [2] });
});

test('app/globals.css closes every block it opens', () => {
  const css = fs.readFileSync(path.join(__dirname, 'globals.css'), 'utf8');
  assert.deepEqual(unbalancedBlocks(css), { unclosed: [], stray: [] });
});
