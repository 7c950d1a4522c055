import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random, URL-safe id (12 base-36 characters, ~62 bits). Ids carry no order: `seq` does. */
export function newId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % 36];
  return id;
}
