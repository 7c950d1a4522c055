/**
 * `npm run export [-- --out FILE] [--without-addresses]`: writes everything (threads with their
 * settings, comments with every stored field, banned words, bans, every account without its
 * password hash, likes and people's settings) as a Threadline export, JSON Lines, to FILE or
 * standard output. `npm run import -- --format threadline FILE` reads it back (docs/import.md).
 * `--without-addresses` leaves out email addresses and sign-in links (docs/decisions.md).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { exportLines } from '../lib/import/threadlineFormat';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'without-addresses': { type: 'boolean' } } });
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Readable by its owner alone: it holds people's addresses and sign-in links.
  const out = values.out ? fs.createWriteStream(values.out, { mode: 0o600 }) : process.stdout;
  let lines = 0;
  try {
    for await (const line of exportLines(store, { addresses: !values['without-addresses'] })) {
      lines++;
      // Respect back-pressure: a large export is never buffered whole.
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
  } finally {
    await store.close();
  }
  if (values.out) {
    await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
    console.error(`exported ${lines} lines to ${values.out}`);
  }
  return 0;
}

runScript('export', main);
