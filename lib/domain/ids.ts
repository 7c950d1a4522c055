import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const ID_BYTES = 12;

// One call to the system's random source per 341 ids instead of one per id (a post makes two or three ids).
const pool = Buffer.alloc(ID_BYTES * 341);
let offset = pool.length;

/** A random, URL-safe id (12 base-36 characters, ~62 bits). Ids carry no order: `seq` does. */
export function newId(): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let id = '';
  for (let i = offset; i < offset + ID_BYTES; i++) id += ALPHABET[pool[i]! % 36];
  offset += ID_BYTES;
  return id;
}
