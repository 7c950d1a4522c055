/**
 * The thread of many participants, made before a server starts (not measured): the store opened
 * directly, as `npm run thread:create` does, and everything made through the services' own code
 * paths — an account and a session per person as an email sign-in makes them (a verified address,
 * so notices may be mailed), one top-level comment per person per thread. The store is closed
 * before any server opens it.
 */
import { randomBytes } from 'node:crypto';
import type { ProvenIdentity } from '../../lib/domain/identity';
import { createServices, type Services } from '../../lib/services';
import { DEFAULT_SPAM_SETTINGS } from '../../lib/services/spam';
import { openStore } from '../../lib/store';

/** One seeded person: their display name (what a mention spells), address and session cookie's token. */
export interface Participant {
  id: string;
  name: string;
  email: string;
  token: string;
}

/** A seeded thread: its slug and each participant's top-level comment id, by participant index. */
export interface SeededThread {
  slug: string;
  topCommentIds: string[];
}

export interface SeededStore {
  participants: Participant[];
  threads: SeededThread[];
}

/** Where the seeding process and the servers find the store: DATA_DIR (SQLite) or DATABASE_URL. */
export interface StoreLocation {
  dataDir: string;
  databaseUrl?: string;
}

/** Posts in flight at once while seeding (PostgreSQL gains from a few; SQLite writes one at a time anyway). */
const SEED_CONCURRENCY = 8;
/** What seeded comments come from: a loopback address, as the bench's own posts. */
const SEED_ADDRESS = '127.0.0.1';

const identityOf = (i: number): ProvenIdentity => {
  const email = `participant-${i}@bench.invalid`;
  return { method: 'email', provider: 'email', subject: email, email, emailVerified: true, name: `Participant ${i}`, badges: null };
};

async function inBatches<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  for (let start = 0; start < count; start += SEED_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, count - start) }, (_, k) => start + k);
    await Promise.all(batch.map(async (i) => void (out[i] = await work(i))));
  }
  return out;
}

async function seedThread(services: Services, participants: Participant[], title: string): Promise<SeededThread> {
  const thread = await services.threads.createThread({ title });
  const topCommentIds = await inBatches(participants.length, async (i) => {
    const p = participants[i] as Participant;
    const { comment } = await services.comments.create({
      slug: thread.slug,
      guestId: p.id,
      address: SEED_ADDRESS,
      account: { id: p.id, displayName: p.name },
      input: { parentId: null, body: `Seeded comment number ${i} of ${title}: a first thought from ${p.name}.` },
    });
    return comment.id;
  });
  return { slug: thread.slug, topCommentIds };
}

/**
 * `participants` accounts with sessions, and `threads` threads (titled by `threadTitle`), each with
 * one top-level comment by every participant. NOTIFICATIONS play no part: top-level comments notify nobody here.
 */
export async function seedStore(args: {
  where: StoreLocation;
  participants: number;
  threads: number;
  threadTitle: (i: number) => string;
  /** The last this many participants are mailed nothing (the warm-up's people: their notices are not the round's). */
  unmailed?: number;
}): Promise<SeededStore> {
  const store = await openStore({ databaseUrl: args.where.databaseUrl, dataDir: args.where.dataDir });
  const services = createServices({ store, sessionSecret: randomBytes(32).toString('hex'), rateLimits: false, notifications: false, spam: { ...DEFAULT_SPAM_SETTINGS, enabled: false } });
  try {
    const participants = await inBatches(args.participants, async (i) => {
      const { token, user } = await services.auth.signInWith({ identity: identityOf(i), userAgent: 'bench/notifications seed' });
      if (i >= args.participants - (args.unmailed ?? 0)) await services.mail.setChoices({ user, choices: { reply: 'never', mention: 'never' } });
      return { id: user.id, name: user.displayName, email: user.email ?? identityOf(i).email as string, token };
    });
    const threads: SeededThread[] = [];
    for (let t = 0; t < args.threads; t += 1) threads.push(await seedThread(services, participants, args.threadTitle(t)));
    return { participants, threads };
  } finally {
    await services.close();
    await store.close();
  }
}
