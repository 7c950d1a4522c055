/**
 * `npm run seed [-- FILE...]`: imports the seed folder (SEEDS_DIR, default ./seeds),
 * or the files named, into the configured store. Idempotent: a file already
 * imported is left as it is. Exits 1 when a file is malformed (nothing from it
 * is imported; each error names its file and line).
 */
import path from 'node:path';
import { describeSeedReport, importSeedDirectory, importSeedFile, type SeedFileReport } from '../lib/seed/importSeeds';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

async function main(): Promise<number> {
  const config = loadConfig(process.env, { server: false });
  const files = process.argv.slice(2);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    let reports: SeedFileReport[];
    if (files.length > 0) {
      reports = [];
      for (const file of files) reports.push(await importSeedFile({ store, file: path.resolve(file) }));
    } else {
      reports = await importSeedDirectory({ store, dir: config.seedsDir });
    }
    if (reports.length === 0) console.log(`no seed files (*.txt) in ${config.seedsDir}`);
    for (const report of reports) (report.outcome === 'failed' ? console.error : console.log)(describeSeedReport(report));
    return reports.some((r) => r.outcome === 'failed') ? 1 : 0;
  } finally {
    await store.close();
  }
}

runScript('seed', main);
