/** Thrown inside the scan with the offset where the text stops being JSON. */
class Stop {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * The offset of the first character where `text` stops being one JSON value, or undefined
 * when it is one (or nests too deep to scan). Used after JSON.parse has failed, for the
 * column of the error: V8 gives a position for some errors only ("Unexpected token ','"
 * has none).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const expect = (char: string) => {
    if (text[i] !== char) stop();
    i++;
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    const found = pattern.exec(text);
    if (!found) stop();
    i += found![0].length;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[i];
      if (char === undefined || char < ' ') stop();
      i++;
      if (char === '"') return;
      if (char !== '\\') continue;
      const escaped = text[i];
      if (escaped === 'u') {
        i++;
        match(HEX4);
      } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) i++;
      else stop();
    }
  };
  const items = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      expect(',');
    }
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      items('}', () => {
        space();
        string();
        space();
        expect(':');
        value();
      });
    } else if (char === '[') items(']', value);
    else if (char === '"') string();
    else if (char === 't' || char === 'f' || char === 'n') {
      const word = char === 't' ? 'true' : char === 'f' ? 'false' : 'null';
      for (const letter of word) expect(letter);
    } else match(NUMBER);
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (err) {
    if (err instanceof Stop) return err.at;
    if (err instanceof RangeError) return undefined; // nested deeper than the stack: no column, the line still says where
    throw err;
  }
}
