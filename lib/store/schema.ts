/**
 * Row types as the database holds them. Both SQLite and PostgreSQL store the same
 * portable types: text, integer (booleans as 0/1) and ISO-8601 UTC times as text,
 * so one set of migrations and one set of mappers serve both.
 */
export interface ThreadsTable {
  id: string;
  slug: string;
  title: string;
  article: string;
  locked: number;
  seq: number;
  source: string | null;
  created_at: string;
  slow_mode_seconds: number;
  pre_moderation: number;
  article_url: string | null;
  /** 0/1: hidden by an admin (migration 0013). */
  hidden: number;
  /** The thread's own comment policy (lib/domain/commentPolicy.ts), or NULL to follow the site's (migration 0020). */
  comment_policy: string | null;
  /** 0/1: switched to Q&A by a moderator (migration 0030). */
  qa?: number;
  /** When the thread locks itself (ISO-8601 UTC), or NULL for never (migration 0031). */
  closes_at: string | null;
}

export interface CommentsTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  depth: number;
  status: string;
  author_name: string | null;
  author_guest_id: string | null;
  client_id: string | null;
  body: string;
  created_at: string | null;
  edited_at: string | null;
  seq: number;
  locked: number;
  pinned: number;
  held_reason: string | null;
  /** The top-level comment the branch starts from (its own id at depth 1). */
  root_id: string | null;
  /** Likes, kept with the reactions rows in the same transaction. */
  likes: number;
  /** JSON of the accounts its `@Name`s resolved to ([{id, name}], lib/domain/types.ts MentionRef); NULL: none (migration 0023). */
  mentions?: string | null;
  /** An editors' pick's note and when it was featured (migration 0029): meaningful while `pinned` is 1. */
  pick_note?: string | null;
  picked_at?: string | null;
  /** On a question of a Q&A thread: the id of the reply that answers it, or NULL (migration 0030). */
  answer_id?: string | null;
}

export interface ReactionsTable {
  comment_id: string;
  guest_id: string;
  created_at: string;
}

export interface ThreadEventsTable {
  thread_id: string;
  seq: number;
  type: string;
  comment_id: string | null;
  payload: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  created_at: string;
  removed_at: string | null;
  /** Shown next to their comments; unique per site by `display_key` (migration 0016). */
  display_name: string | null;
  display_key: string | null;
  email: string | null;
  email_verified_at: string | null;
  /** A JSON array of lib/domain/identity.ts BADGES. */
  badges: string;
  /** 0/1: moderators trust the person (their comments skip the new-account hold). */
  trusted: number;
  /** 0/1: their new comments are seen by them and moderators only. */
  shadow_banned: number;
}

/** A sign-in method linked to an account (migration 0016). */
export interface IdentitiesTable {
  provider: string;
  subject: string;
  user_id: string;
  method: string;
  email: string | null;
  created_at: string;
  last_used_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session token. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** How it was opened (lib/domain/identity.ts SIGN_IN_METHODS); null for sessions from before migration 0016. */
  method: string | null;
  /** The browser's User-Agent when it was opened (shortened), for the person's list of sessions. */
  user_agent: string | null;
  last_seen_at: string | null;
}

export interface ReportsTable {
  id: string;
  thread_id: string;
  comment_id: string;
  guest_id: string;
  /** lib/contract/reports.ts; `other` for reports from before categories. */
  category: string;
  /** The reader's own words; '' when they gave none (0010_report_categories). */
  reason: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface BansTable {
  id: string;
  guest_id: string;
  reason: string;
  until: string | null;
  created_by: string;
  created_at: string;
  lifted_at: string | null;
  /** A guest's ban may also cover an address range (migration 0021): as written, and as matched (lib/domain/addressRange.ts). */
  address_range: string | null;
  address_bits: string | null;
}

/** The address key a guest last posted from (migration 0021), for a ban of its range. */
export interface GuestAddressesTable {
  guest_id: string;
  address: string;
  seen_at: string;
}

/** Moderators' private notes about a person (migration 0021). */
export interface PersonNotesTable {
  id: string;
  person_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: string;
}

/** One notice kept for one account (migration 0023; lib/domain/notifications.ts Notification). */
export interface NotificationsTable {
  id: string;
  recipient_id: string;
  kind: string;
  thread_id: string;
  comment_id: string;
  actor_id: string | null;
  actor_name: string | null;
  /** '' unless kind is `moderation`. */
  decision: string;
  reason: string | null;
  created_at: string;
  read_at: string | null;
  /** When it went into a mail, or was passed over for mail (the person's choice was `never`, it was removed…). */
  mailed_at: string | null;
}

/** Whom a person muted (migration 0023). */
export interface PersonMutesTable {
  owner_id: string;
  muted_id: string;
  created_at: string;
}

/** A thread a person follows or blocked (migration 0023; mode: lib/domain/notifications.ts THREAD_WATCH_MODES). */
export interface ThreadWatchesTable {
  owner_id: string;
  thread_id: string;
  mode: string;
  created_at: string;
}

/** A person's email choice for one kind, where they made one (migration 0023). */
export interface NotificationPreferencesTable {
  user_id: string;
  kind: string;
  choice: string;
  updated_at: string;
}

/** A mail on its way (migration 0023): pending, sent, or dead (given up; admins see it). */
export interface MailOutboxTable extends OutboxColumns {
  id: string;
  user_id: string | null;
  to_address: string;
  kind: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** JSON object of extra headers. */
  headers: string;
  message_id: string;
  dedupe_key: string | null;
}

/** An address a person gave, waiting for the proof of its link (migration 0025): by the token's hash. */
export interface EmailVerificationsTable {
  token_hash: string;
  user_id: string;
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** When a person's daily digest last went out (migration 0023). */
export interface MailDigestsTable {
  user_id: string;
  last_sent_at: string;
}

export interface BannedWordsTable {
  word: string;
  created_at: string;
}

/** An admin's site setting (migration 0020): lib/domain/commentPolicy.ts SITE_SETTING_KEYS. */
export interface SiteSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

/** A moderator's word on a person, an account or a guest, by person id (migration 0020). */
export interface PersonStandingTable {
  person_id: string;
  trusted: number;
  shadow_banned: number;
  /** Rejections before this time do not count toward review (when a moderator last trusted them). */
  trusted_since: string | null;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  thread_id: string | null;
  comment_id: string | null;
  target: string | null;
  reason: string | null;
  details: string;
}

/** What every outbox's row holds for its delivery (the webhooks', the mail's): claimed with a lease (lib/store/leasedClaims.ts). */
export interface OutboxColumns {
  /** `pending`, then sent (`delivered` for a webhook, `sent` for a mail) or given up (`failed`, `dead`). */
  state: string;
  /** Attempts started so far. */
  attempts: number;
  next_attempt_at: string;
  /** Set while a node is delivering it; a lapsed lease may be claimed again. */
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WebhookDeliveriesTable extends OutboxColumns {
  id: string;
  event_id: string;
  event_type: string;
  url: string;
  /** The exact JSON body sent (and signed). */
  payload: string;
  /** Deliveries of one topic (`comment.reported:<comment id>`) are folded together: migration 0011. Null: never folded. */
  topic: string | null;
  /** Which of two folded payloads is the newer (a comment's count of reports). */
  topic_rank: number | null;
  /** The thread the event is about (migration 0015): deleting the thread deletes its deliveries. Null on rows queued before. */
  thread_id: string | null;
}

export interface ImportSourcesTable {
  source: string;
  /** `thread` or `comment`. */
  kind: string;
  external_id: string;
  target_id: string;
  created_at: string;
}

export interface ImportStagingTable {
  run_id: string;
  /** Order of reading within the run. */
  position: number;
  external_id: string;
  parent_external_id: string | null;
  /** The record as JSON (lib/import/records.ts). */
  record: string;
}

/** An import under way (migration 0026): its staging, and whether its process still lives. */
export interface ImportRunsTable {
  id: string;
  source: string;
  /** The file read, as an absolute path; null when the records did not come from a file. */
  file: string | null;
  /** `reading` (staging the file) or `writing` (applying what was staged). */
  phase: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
  /** The last line read (`reading`), or written through (`writing`). */
  line: number | null;
}

/** A text's fingerprint in one thread (migration 0014): kept for the repeated-text window. */
export interface SpamTextsTable {
  hash: string;
  thread_id: string;
  /** The latest post of the text in the thread. */
  at: string;
}

/** A guest's first post, and the address key it came from (migration 0014): kept for the new-guest window. */
export interface SpamNewGuestsTable {
  guest_id: string;
  address: string;
  first_at: string;
}

/** A comment the outside spam service did not judge (migration 0014); lib/contract/api.ts NOT_CHECKED_REASONS. */
export interface SpamNotCheckedTable {
  comment_id: string;
  why: string;
  at: string;
}

/** A host site's sign-in token already used, kept until it expires (migration 0017). */
export interface SsoUsedTokensTable {
  /** SHA-256 (hex) of the token's issuer and `jti`. */
  jti_hash: string;
  expires_at: string;
}

/** An email sign-in link (migration 0018): only hashes of the token and of the browser's nonce. */
export interface SignInLinksTable {
  token_hash: string;
  browser_hash: string;
  /** The lowercased address the link was sent to. */
  email: string;
  /** Where the person goes once signed in (a path on this site, lib/domain/nextPath.ts). */
  next_path: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A one-time code that hands a sign-in to the embed's frame (migration 0018): only its hash. */
export interface FrameCodesTable {
  code_hash: string;
  user_id: string;
  /** How the person signed in (lib/domain/identity.ts SIGN_IN_METHODS), kept on the frame's session. */
  method: string;
  expires_at: string;
  used_at: string | null;
}

export interface Database {
  threads: ThreadsTable;
  comments: CommentsTable;
  thread_events: ThreadEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  identities: IdentitiesTable;
  reports: ReportsTable;
  bans: BansTable;
  banned_words: BannedWordsTable;
  audit_log: AuditLogTable;
  webhook_deliveries: WebhookDeliveriesTable;
  import_sources: ImportSourcesTable;
  import_staging: ImportStagingTable;
  reactions: ReactionsTable;
  spam_texts: SpamTextsTable;
  spam_new_guests: SpamNewGuestsTable;
  spam_not_checked: SpamNotCheckedTable;
  sso_used_tokens: SsoUsedTokensTable;
  site_settings: SiteSettingsTable;
  person_standing: PersonStandingTable;
  guest_addresses: GuestAddressesTable;
  person_notes: PersonNotesTable;
  sign_in_links: SignInLinksTable;
  frame_codes: FrameCodesTable;
  notifications: NotificationsTable;
  person_mutes: PersonMutesTable;
  thread_watches: ThreadWatchesTable;
  notification_preferences: NotificationPreferencesTable;
  mail_outbox: MailOutboxTable;
  mail_digests: MailDigestsTable;
  email_verifications: EmailVerificationsTable;
  import_runs: ImportRunsTable;
}

export type ThreadRow = ThreadsTable;
export type CommentRow = CommentsTable;
export type ThreadEventRow = ThreadEventsTable;
