import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_moderation';
import * as m0003 from './0003_thread_status_index';
import * as m0004 from './0004_comment_roots';
import * as m0005 from './0005_imports';
import * as m0006 from './0006_webhooks';
import * as m0007 from './0007_thread_page_indexes';
import * as m0008 from './0008_thread_comment_count';
import * as m0009 from './0009_reactions';
import * as m0010 from './0010_report_categories';
import * as m0011 from './0011_webhook_topics';
import * as m0012 from './0012_thread_article_url';
import * as m0013 from './0013_thread_admin';
import * as m0014 from './0014_spam';
import * as m0015 from './0015_webhook_thread';
import * as m0016 from './0016_people';
import * as m0017 from './0017_sso_tokens';
import * as m0020 from './0020_policy_trust';
import * as m0022 from './0022_person_data';
import * as m0023 from './0023_notifications';
import * as m0025 from './0025_email_verifications';
import * as m0028 from './0028_thread_article_url_index';
import * as m0029 from './0029_picks';
import * as m0031 from './0031_thread_closing';
import * as m0021 from './0021_person_moderation';
import * as m0018 from './0018_email_links';
import * as m0026 from './0026_import_runs';
import * as m0030 from './0030_questions';
import * as m0032 from './0032_pulse_indexes';

/**
 * The one ordered list of migrations, shared by SQLite and PostgreSQL.
 * Imported statically (not read from disk) so they work bundled or not.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_moderation': m0002,
  '0003_thread_status_index': m0003,
  '0004_comment_roots': m0004,
  '0005_imports': m0005,
  '0006_webhooks': m0006,
  '0007_thread_page_indexes': m0007,
  '0008_thread_comment_count': m0008,
  '0009_reactions': m0009,
  '0010_report_categories': m0010,
  '0011_webhook_topics': m0011,
  '0012_thread_article_url': m0012,
  '0013_thread_admin': m0013,
  '0014_spam': m0014,
  '0015_webhook_thread': m0015,
  '0016_people': m0016,
  '0017_sso_tokens': m0017,
  '0020_policy_trust': m0020,
  '0022_person_data': m0022,
  '0021_person_moderation': m0021,
  '0018_email_links': m0018,
  '0023_notifications': m0023,
  '0025_email_verifications': m0025,
  '0026_import_runs': m0026,
  '0028_thread_article_url_index': m0028,
  '0029_picks': m0029,
  '0030_questions': m0030,
  '0031_thread_closing': m0031,
  '0032_pulse_indexes': m0032,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
