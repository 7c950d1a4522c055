import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashLane, HashTicket, PasswordHasher } from './passwordHasher';

/**
 * scrypt at OWASP's recommended cost (N = 2^17, r = 8, p = 1: 128 MiB and a
 * few hundred milliseconds per hash). The parameters are stored in the hash, so
 * a later change of cost still verifies old hashes.
 */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

export const OWASP_COST: PasswordCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;

/** Hashing and checking staff passwords, on the given hasher (passwordHasher.ts). */
export interface Passwords {
  hash(password: string): Promise<string>;
  /** A place for one check in the lane, or `sign_in_busy` at once (PasswordHasher.reserve). */
  reserve(lane: HashLane): HashTicket;
  /**
   * Constant-time comparison, hashed on the ticket's place (PasswordHasher.reserve); a malformed stored
   * hash verifies nothing. Without a stored hash (no such account) a decoy of the same cost is checked,
   * so that the answer takes as long, and costs as much, as a real one.
   */
  verify(password: string, stored: string | undefined, ticket: HashTicket): Promise<boolean>;
}

export function createPasswords(hasher: PasswordHasher, cost: PasswordCost = OWASP_COST): Passwords {
  const derive = (password: string, salt: Buffer, c: PasswordCost, ticket: HashTicket) =>
    ticket.derive({ password: password.normalize('NFKC'), salt, keyLength: KEY_LENGTH, ...c });
  // No password hashes to this: random bytes where the key would be. Checking it costs what a real check costs.
  const decoy = format(cost, randomBytes(16), randomBytes(KEY_LENGTH));
  return {
    reserve: (lane) => hasher.reserve(lane),
    async hash(password) {
      const salt = randomBytes(16);
      // An admin's or the command line's: in the lane strangers' sign-ins cannot fill.
      return format(cost, salt, await derive(password, salt, cost, hasher.reserve('known')));
    },
    async verify(password, stored = decoy, ticket) {
      const [scheme, N, r, p, salt, key] = stored.split('$');
      if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) {
        ticket.release();
        return false;
      }
      const expected = Buffer.from(key, 'base64');
      const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) }, ticket);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

function format(cost: PasswordCost, salt: Buffer, key: Buffer): string {
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A password for a generated account: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
}
