/**
 * The failed tests of a node:test TAP report, each with where it is and the first and last lines of
 * its error (a child process's output ends with why it failed): printed again under the summary, because the summary is what a CI log's tail keeps and
 * the spec reporter's account of a failure may be thousands of lines above it.
 */
export interface TapFailure {
  name: string;
  location: string | null;
  error: string[];
}

const NOT_OK = /^(\s*)not ok \d+ - (.*)$/;

/** Only failures of a test's own: a parent failing because a subtest failed adds nothing. */
export function tapFailures(tap: string, shown = { first: 4, last: 6 }): TapFailure[] {
  const lines = tap.split('\n');
  const failures: TapFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = NOT_OK.exec(lines[i]!);
    if (!head) continue;
    const indent = head[1]!.length + 2;
    const block: string[] = [];
    if (lines[i + 1]?.trim() === '---') {
      for (let j = i + 2; j < lines.length && lines[j]!.trim() !== '...'; j++) block.push(lines[j]!.slice(indent));
    }
    const field = (key: string) => block.findIndex((l) => l.startsWith(`${key}: `));
    const scalar = (key: string) => {
      const at = field(key);
      return at < 0 ? null : block[at]!.slice(key.length + 2).replace(/^'(.*)'$/, '$1');
    };
    if (scalar('failureType') === 'subtestsFailed') continue;
    const at = field('error');
    let error: string[] = [];
    if (at >= 0) {
      const value = block[at]!.slice('error: '.length);
      if (value.startsWith('|')) {
        for (let j = at + 1; j < block.length && (block[j]!.startsWith('  ') || block[j] === ''); j++) error.push(block[j]!.slice(2));
      } else error = [value.replace(/^'(.*)'$/, '$1')];
    }
    failures.push({ name: head[2]!, location: scalar('location'), error: firstAndLast(error.filter((l) => l.trim() !== ''), shown) });
  }
  return failures;
}

function firstAndLast(lines: string[], shown: { first: number; last: number }): string[] {
  if (lines.length <= shown.first + shown.last + 1) return lines;
  return [...lines.slice(0, shown.first), `… ${lines.length - shown.first - shown.last} lines …`, ...lines.slice(-shown.last)];
}
