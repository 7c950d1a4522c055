import type { ImportedComment } from '../store/store';

/** A synthetic comment knows its depth: replies stop at `maxDepth`. */
export type SyntheticComment = ImportedComment & { depth: number };

export interface SyntheticThreadOptions {
  comments: number;
  /** The deepest reply level (1 = top-level comments only). */
  maxDepth: number;
  /** Same seed, same thread: benchmarks and tests can rebuild it exactly. */
  seed: number;
  /** When the first comment was posted; the rest follow over the hours after it. */
  start?: Date;
}

/**
 * A discussion shaped like a busy news thread rather than a uniform tree:
 * comment lengths are log-normal (most a sentence or three, a few essays),
 * about a quarter of comments start a new branch, and replies go mostly to
 * recent and already-busy comments, so a few branches grow long and deep while
 * most stay short. A few comments use Markdown (quotes, emphasis, links, lists)
 * and a few are deleted placeholders, as in real threads.
 */
export function syntheticComments(options: SyntheticThreadOptions): SyntheticComment[] {
  const random = mulberry32(options.seed);
  const start = (options.start ?? new Date('2026-11-27T06:00:00.000Z')).getTime();
  const comments: SyntheticComment[] = [];
  // How many replies each comment has drawn so far: busy comments draw more (preferential attachment).
  const replies: number[] = [];
  let time = start;

  for (let key = 0; key < options.comments; key++) {
    time += Math.round(exponential(random, 2500));
    const parentKey = key === 0 || random() < 0.25 ? null : pickParent(random, comments, replies, options.maxDepth);
    const depth = parentKey === null ? 1 : comments[parentKey]!.depth + 1;
    if (parentKey !== null) replies[parentKey]! += 1;
    replies.push(0);
    const deleted = random() < 0.02;
    comments.push({
      key,
      parentKey,
      depth,
      status: deleted ? 'deleted' : 'visible',
      authorName: deleted ? null : AUTHORS[Math.floor(random() * AUTHORS.length)]!,
      body: deleted ? '' : commentBody(random),
      createdAt: new Date(time).toISOString(),
    });
  }
  return comments;
}

function pickParent(random: () => number, comments: readonly SyntheticComment[], replies: readonly number[], maxDepth: number): number | null {
  // The busiest of a few sampled comments: busy comments draw more replies (preferential attachment).
  let best = -1;
  for (let sample = 0; sample < 3; sample++) {
    // Mostly the last hundred comments (a conversation in progress), sometimes anything older.
    const from = random() < 0.8 ? Math.max(0, comments.length - 100) : 0;
    const candidate = from + Math.floor(random() * (comments.length - from));
    const c = comments[candidate]!;
    if (c.depth >= maxDepth || c.status !== 'visible') continue;
    if (best < 0 || replies[candidate]! > replies[best]!) best = candidate;
  }
  return best < 0 ? null : best;
}

function commentBody(random: () => number): string {
  // Log-normal around ~180 characters; capped below the 5,000-character limit.
  const target = Math.min(4800, Math.max(8, Math.round(Math.exp(5.2 + 0.9 * gaussian(random)))));
  const sentences: string[] = [];
  let length = 0;
  while (length < target) {
    const sentence = sentenceOf(random);
    sentences.push(sentence);
    length += sentence.length + 1;
  }
  let text = sentences.join(' ').slice(0, target).trimEnd();
  if (!/[.!?]$/.test(text)) text += '.';
  const flavour = random();
  if (flavour < 0.05) text = `> ${sentenceOf(random)}\n\n${text}`;
  else if (flavour < 0.08) text = `${text}\n\nSource: https://example.org/${WORDS[Math.floor(random() * WORDS.length)]}`;
  else if (flavour < 0.1) text = `${text}\n\n- ${sentenceOf(random)}\n- ${sentenceOf(random)}`;
  else if (flavour < 0.14) text = text.replace(/\b(\w{6,})\b/, '*$1*');
  return text;
}

function sentenceOf(random: () => number): string {
  const words = 4 + Math.floor(random() * 14);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  const first = out[0]!;
  out[0] = first[0]!.toUpperCase() + first.slice(1);
  return `${out.join(' ')}${random() < 0.15 ? '?' : '.'}`;
}

function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

function gaussian(random: () => number): number {
  // Box–Muller; 1 - random() keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A small, fast, seedable PRNG: the same seed gives the same thread on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AUTHORS = [
  'Ada', 'Bashir', 'Chen Wei', 'Dolores', 'Eamon', 'Farah', 'Gustavo', 'Hana', 'Ifeoma', 'Jonas', 'Kiri', 'Lena',
  'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wren', 'Yusuf', 'Zofia',
];

const WORDS = (
  'the council said budget housing rents city transport plan would could not this that with from report ' +
  'people years local new government minister policy vote tax school hospital water energy bill prices ' +
  'actually really think agree disagree point source data article evidence question answer because however ' +
  'maybe probably clearly nobody everyone neighbours street bus train bike parking winter summer flood road ' +
  'cost money million public private company workers union strike deal talks meeting tonight yesterday week'
).split(' ');
