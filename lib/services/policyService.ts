import { DEFAULT_SITE_SETTINGS, type CommentPolicy, type SiteSettings } from '../domain/commentPolicy';
import { AppError } from '../domain/errors';
import { isStaffRole } from '../domain/identity';
import type { User } from '../store/accountStore';
import type { PersonStanding } from '../store/policyStore';
import type { Store } from '../store/store';

/**
 * The site's comment policy and trust settings (admins), and moderators' word on a person: trusted,
 * shadow-banned (docs/moderation.md). The posting rules read the stored values themselves
 * (lib/store/posting/personRules.ts); what is kept here is for showing them.
 */
export interface PolicyService {
  /** The environment's settings (COMMENT_POLICY, NEW_ACCOUNT_HOLD, REVIEW_AFTER_REJECTIONS): where an admin set nothing. */
  readonly defaults: SiteSettings;
  /** The site's settings as they stand, read at most every few seconds on each node (its own changes at once). */
  settings(): Promise<SiteSettings>;
  /** The site's policy as this node last read it, without waiting: a page cache's key (server/pageCache). */
  knownPolicy(): CommentPolicy;
  /** Admins only; audited (`site.settings`). */
  updateSettings(request: { changes: Partial<SiteSettings>; actor: User }): Promise<SiteSettings>;
  /** Moderators; audited (`person.trust`, `person.untrust`). */
  setTrusted(request: { personId: string; trusted: boolean; actor: User }): Promise<PersonStanding>;
  /** Moderators; audited (`person.shadow_ban`, `person.shadow_unban`). */
  setShadowBanned(request: { personId: string; shadowBanned: boolean; actor: User }): Promise<PersonStanding>;
}

/** How long a node shows the site's settings as it read them: another node's change reaches its pages within this. */
export const SITE_SETTINGS_TTL_MS = 5000;

export function createPolicyService(deps: { store: Store; defaults?: SiteSettings; now?: () => number }): PolicyService {
  const { store } = deps;
  const defaults = deps.defaults ?? DEFAULT_SITE_SETTINGS;
  const now = deps.now ?? Date.now;
  let known: { settings: SiteSettings; at: number } = { settings: defaults, at: -Infinity };
  let reading: Promise<SiteSettings> | undefined;

  function read(): Promise<SiteSettings> {
    reading ??= store.policy
      .siteSettings()
      .then((stored) => {
        known = { settings: { ...defaults, ...stored }, at: now() };
        return known.settings;
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  const actorOf = (actor: User) => ({ actorId: actor.id, actorName: actor.username });
  function requireModerator(actor: User): void {
    if (!isStaffRole(actor.role)) throw new AppError('forbidden', { message: 'Only moderators can do this.' });
  }

  return {
    defaults,
    async settings() {
      return now() - known.at < SITE_SETTINGS_TTL_MS ? known.settings : read();
    },
    knownPolicy() {
      if (now() - known.at >= SITE_SETTINGS_TTL_MS) void read().catch(() => undefined);
      return known.settings.commentPolicy;
    },
    async updateSettings({ changes, actor }) {
      if (actor.role !== 'admin') throw new AppError('forbidden', { message: 'Only admins can change the site settings.' });
      await store.policy.setSiteSettings({ changes, audit: { ...actorOf(actor), action: 'site.settings', details: { ...changes } } });
      return read();
    },
    async setTrusted({ personId, trusted, actor }) {
      requireModerator(actor);
      return store.policy.setStanding({ personId, trusted, audit: { ...actorOf(actor), action: trusted ? 'person.trust' : 'person.untrust', target: personId } });
    },
    async setShadowBanned({ personId, shadowBanned, actor }) {
      requireModerator(actor);
      return store.policy.setStanding({ personId, shadowBanned, audit: { ...actorOf(actor), action: shadowBanned ? 'person.shadow_ban' : 'person.shadow_unban', target: personId } });
    },
  };
}
