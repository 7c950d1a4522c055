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
}

export interface ThreadEventsTable {
  thread_id: string;
  seq: number;
  type: string;
  comment_id: string | null;
  payload: string;
  created_at: string;
}

export interface Database {
  threads: ThreadsTable;
  comments: CommentsTable;
  thread_events: ThreadEventsTable;
}

export type ThreadRow = ThreadsTable;
export type CommentRow = CommentsTable;
export type ThreadEventRow = ThreadEventsTable;
