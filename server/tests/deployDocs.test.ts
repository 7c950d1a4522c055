import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LIMITS, LIMIT_NAMES } from '../../lib/services/limits';
import { ENV_VARIABLES, limitVariable } from '../config';
import { NGINX_TEMPLATE } from '../testing/nginx';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The variables named in the first column of a Markdown table: rows that start with `| \`NAME\` |`. */
function tableVariables(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `the heading ${JSON.stringify(heading)}`);
  const rest = markdown.slice(start + heading.length);
  const next = rest.search(/^## /m);
  const section = next >= 0 ? rest.slice(0, next) : rest;
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
}

for (const [file, heading] of [
  ['README.md', '## Configuration'],
  ['docs/deploy.md', '## Environment reference'],
] as const) {
  test(`${file} documents every variable server/config.ts reads, once, and no other`, () => {
    const documented = tableVariables(read(file), heading);
    assert.deepEqual(
      documented.filter((v, i) => documented.indexOf(v) !== i),
      [],
      'documented twice',
    );
    assert.deepEqual(ENV_VARIABLES.filter((v) => !documented.includes(v)).sort(), [], `read by server/config.ts but missing from ${file}`);
    assert.deepEqual(documented.filter((v) => !(ENV_VARIABLES as string[]).includes(v)).sort(), [], `in ${file} but not read by server/config.ts`);
  });
}

test('README.md gives each rate limit the default the server has', () => {
  const readme = read('README.md');
  for (const name of LIMIT_NAMES) {
    const row = new RegExp(`^\\| \`${limitVariable(name)}\` \\| \`([^\`]+)\` \\|`, 'm').exec(readme);
    assert.ok(row, `a row for ${limitVariable(name)}`);
    const rule = DEFAULT_LIMITS[name];
    assert.equal(row[1], rule === 'off' ? 'off' : `${rule.points}/${rule.durationSeconds}`, limitVariable(name));
  }
});

test('docs/deploy.md shows the envsubst command for exactly the variables the nginx template uses', () => {
  const used = [...new Set([...fs.readFileSync(NGINX_TEMPLATE, 'utf8').matchAll(/\$\{(THREADLINE_[A-Z_]+)\}/g)].map((m) => m[1]!))].sort();
  assert.ok(used.length > 0);
  const command = /envsubst '([^']*)'/.exec(read('docs/deploy.md'));
  assert.ok(command, 'an envsubst command in docs/deploy.md');
  assert.deepEqual([...command[1]!.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!).sort(), used);
});
