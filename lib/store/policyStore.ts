import type { Kysely } from 'kysely';
import { isCommentPolicy, SITE_SETTING_KEYS, type SiteSettings } from '../domain/commentPolicy';
import { insertAudit, type AuditEntry } from './moderationStore';
import type { Database } from './schema';

/** A moderator's word on a person (an account or a guest, by person id). */
export interface PersonStanding {
  id: string;
  trusted: boolean;
  shadowBanned: boolean;
}

/** The site settings admins set, and moderators' word on people (migration 0020). */
export interface PolicyStore {
  /** What admins set; a setting absent here takes the environment's default. */
  siteSettings(): Promise<Partial<SiteSettings>>;
  /** Stores the given settings and their audit entry in one transaction. */
  setSiteSettings(request: { changes: Partial<SiteSettings>; audit: AuditEntry }): Promise<Partial<SiteSettings>>;
  standing(personId: string): Promise<PersonStanding>;
  /**
   * Marks a person trusted or not, shadow-banned or not, with its audit entry. Trusting starts their
   * count of rejections over (`trusted_since`). For an account, `users.trusted` and `users.shadow_banned`
   * say the same.
   */
  setStanding(request: { personId: string; trusted?: boolean; shadowBanned?: boolean; audit: AuditEntry }): Promise<PersonStanding>;
}

const KEY_OF = SITE_SETTING_KEYS;
const SETTING_OF: Record<string, keyof SiteSettings> = Object.fromEntries(Object.entries(KEY_OF).map(([name, key]) => [key, name as keyof SiteSettings]));

export function createPolicyStore(db: Kysely<Database>, now: () => string): PolicyStore {
  async function standing(personId: string): Promise<PersonStanding> {
    const row = await db.selectFrom('person_standing').select(['trusted', 'shadow_banned']).where('person_id', '=', personId).executeTakeFirst();
    return { id: personId, trusted: Number(row?.trusted ?? 0) === 1, shadowBanned: Number(row?.shadow_banned ?? 0) === 1 };
  }

  async function siteSettings(): Promise<Partial<SiteSettings>> {
    const rows = await db.selectFrom('site_settings').select(['key', 'value']).execute();
    const settings: Partial<Record<keyof SiteSettings, unknown>> = {};
    for (const { key, value } of rows) {
      const name = SETTING_OF[key];
      if (!name) continue;
      if (name === 'commentPolicy') {
        if (isCommentPolicy(value)) settings.commentPolicy = value;
      } else if (/^\d+$/.test(value)) settings[name] = Number(value);
    }
    return settings as Partial<SiteSettings>;
  }

  return {
    siteSettings,
    standing,

    async setSiteSettings({ changes, audit }) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        for (const [name, value] of Object.entries(changes)) {
          if (value === undefined) continue;
          const key = KEY_OF[name as keyof SiteSettings];
          await trx
            .insertInto('site_settings')
            .values({ key, value: String(value), updated_at: at })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(value), updated_at: at }))
            .execute();
        }
        await insertAudit(trx, audit, at);
      });
      return siteSettings();
    },

    async setStanding({ personId, trusted, shadowBanned, audit }) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        const values = {
          ...(trusted !== undefined && { trusted: trusted ? 1 : 0, trusted_since: trusted ? at : null }),
          ...(shadowBanned !== undefined && { shadow_banned: shadowBanned ? 1 : 0 }),
        };
        await trx
          .insertInto('person_standing')
          .values({ person_id: personId, trusted: 0, shadow_banned: 0, trusted_since: null, ...values, updated_at: at })
          .onConflict((oc) => oc.column('person_id').doUpdateSet({ ...values, updated_at: at }))
          .execute();
        const mirrored = { ...(trusted !== undefined && { trusted: trusted ? 1 : 0 }), ...(shadowBanned !== undefined && { shadow_banned: shadowBanned ? 1 : 0 }) };
        if (Object.keys(mirrored).length > 0) await trx.updateTable('users').set(mirrored).where('id', '=', personId).execute();
        await insertAudit(trx, audit, at);
      });
      return standing(personId);
    },
  };
}
