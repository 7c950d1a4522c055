import { SaxesParser } from 'saxes';
import { passPrelude } from './xmlPrelude';

/** The file cannot be read as the format at all (broken XML, a wrong root element…). */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/**
 * One element of interest, flattened: the text of each descendant by its path
 * (`author/name`), and each attribute as `path@name` (`thread@dsq:id`, `@dsq:id`
 * for its own). Only the elements a reader asks for are collected, so memory is
 * bounded by the largest such element, not by the file.
 */
export interface FlatElement {
  name: string;
  line: number;
  fields: Map<string, string>;
}

export interface ElementHandlers {
  /** Collect this element (named by the path of element names from the root)? */
  collect(path: readonly string[]): boolean;
  /** A collected element has started (its own attributes are in `fields`); `parents` are the collected elements around it. */
  opened?(element: FlatElement, parents: readonly FlatElement[]): void;
  closed(element: FlatElement, parents: readonly FlatElement[]): void;
  /** The text of an element outside any collected one (a channel's `<link>`, say). */
  text?(path: readonly string[], text: string): void;
}

/**
 * Streams XML from `input` through saxes and calls the handlers; after each chunk
 * the records the handlers queued are yielded by the caller's generator. Broken
 * XML throws ImportFileError naming the line.
 */
export async function* streamElements<T>(options: {
  input: AsyncIterable<string | Buffer>;
  fileName: string;
  /** The root element the format requires, and the format's name for the error. */
  root: { name: string; format: string };
  handlers: (emit: (record: T) => void) => ElementHandlers;
  /** The record that carries a warning (text passed over before the XML declaration) to the report. */
  warning?: (line: number, message: string) => T;
}): AsyncGenerator<T> {
  const parser = new SaxesParser({ xmlns: false, position: true, fileName: options.fileName });
  const queue: T[] = [];
  const handlers = options.handlers((record) => queue.push(record));
  const path: string[] = [];
  /** Collected elements open now, each with the depth of `path` where it started. */
  const stack: { element: FlatElement; depth: number }[] = [];
  let outsideText = '';

  const relative = (entry: { depth: number }) => path.slice(entry.depth).join('/');

  parser.on('opentag', (tag) => {
    if (path.length === 0 && tag.name !== options.root.name) {
      throw new ImportFileError(`${options.fileName}:${parser.line}: not ${options.root.format} (the root element is <${tag.name}>, not <${options.root.name}>)`, parser.line);
    }
    path.push(tag.name);
    outsideText = '';
    const attributes = tag.attributes as Record<string, string>;
    if (handlers.collect(path)) {
      const element: FlatElement = { name: tag.name, line: parser.line, fields: new Map() };
      for (const [name, value] of Object.entries(attributes)) element.fields.set(`@${name}`, value);
      const parents = stack.map((s) => s.element);
      stack.push({ element, depth: path.length });
      handlers.opened?.(element, parents);
      return;
    }
    const top = stack.at(-1);
    if (top) for (const [name, value] of Object.entries(attributes)) top.element.fields.set(`${relative(top)}@${name}`, value);
  });

  const onText = (text: string) => {
    const top = stack.at(-1);
    if (!top) {
      outsideText += text;
      return;
    }
    if (path.length === top.depth) return; // text directly inside the collected element: whitespace between fields
    const key = relative(top);
    top.element.fields.set(key, (top.element.fields.get(key) ?? '') + text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    const top = stack.at(-1);
    if (top && top.depth === path.length) {
      stack.pop();
      handlers.closed(top.element, stack.map((s) => s.element));
    } else if (!top && outsideText) {
      handlers.text?.(path, outsideText);
    }
    outsideText = '';
    path.pop();
  });

  // A streaming decoder: a character split between two chunks is joined, not mangled.
  const decoder = new TextDecoder('utf-8');
  // Only the parser's errors are about the XML; a file that cannot be read says so itself.
  const parse = (feed: () => void) => {
    try {
      feed();
    } catch (err) {
      if (err instanceof ImportFileError) throw err;
      throw new ImportFileError(`${options.fileName} is not well-formed XML: ${(err as Error).message}`, parser.line);
    }
  };
  /** The start of the file until passPrelude has decided what of it the parser sees; null after. */
  let head: string | null = '';
  const write = (text: string, ended: boolean) => {
    if (head === null) {
      parse(() => parser.write(text));
      return;
    }
    head += text;
    const decision = passPrelude(head, { root: options.root.name, ended });
    if (!decision.decided) return;
    head = null;
    const over = decision.passedOver;
    if (over && options.warning) {
      const lines = over.lines === 1 ? 'a line' : `${over.lines} lines`;
      queue.push(options.warning(over.line, `${lines} of text before the XML declaration passed over, the first: "${over.first}"`));
    }
    parse(() => parser.write(decision.text));
  };
  for await (const chunk of options.input) {
    try {
      write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), false);
    } finally {
      // Records read before an error are still handed on (then the error): the report counts them.
      yield* queue.splice(0);
    }
  }
  try {
    write(decoder.decode(), true);
    parse(() => parser.close());
  } finally {
    yield* queue.splice(0);
  }
}
