import type { ImportReport } from './runImport';

/** Names the document, so a script can tell it from any other JSON file. */
export const REPORT_FORMAT = 'threadline-import-report';
/** Raised only when a field changes meaning or goes away; new fields are added without it. */
export const REPORT_VERSION = 1;

/**
 * The report as `--report FILE` writes it, for scripts (docs/import.md "Progress and --report"):
 * the ImportReport's fields under a format name and version, on success and on failure alike
 * (`stopped` is null exactly when the run completed).
 */
export function reportJson(report: ImportReport): string {
  return `${JSON.stringify({ format: REPORT_FORMAT, version: REPORT_VERSION, ...report }, null, 2)}\n`;
}
