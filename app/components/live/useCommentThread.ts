'use client';

import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ReportRequest } from '../../../lib/contract/api';
import type { ClientComment } from '../../../lib/client/threadState';
import type { ThreadView } from '../../../lib/client/threadView';
import { createViewStore, shallowEqual, type ViewStore } from '../../../lib/client/viewStore';
import type { ApiResult } from '../serverApi';
import type { CommentDraft } from './CommentForm';
import type { ModeratorAction } from './CommentItem';

/** What a reader can do to a comment. The same functions for the page's whole life: they never make a comment re-render. */
export interface CommentActions {
  setReplyTo(id: string | null): void;
  /** Resolves once the server has answered; the box keeps the text until it says `ok`. */
  send(parentId: string | null, draft: CommentDraft): Promise<ApiResult<unknown>>;
  fold(id: string, open: boolean): void;
  settle(id: string): void;
  edit(id: string, body: string): Promise<string | null>;
  remove(id: string): Promise<string | null>;
  /** `note`: with `pin`, the editors' pick's one-line note. */
  moderate(id: string, action: ModeratorAction, note?: string): Promise<string | null>;
  report(id: string, report: ReportRequest): Promise<string | null>;
  /** Someone is writing in the box under `parentId` (null: the top one). */
  typed(parentId: string | null): void;
  /** Toggles this reader's like; resolves to why it failed, or null. */
  like(comment: ClientComment): Promise<string | null>;
}

/** What the thread's comments get from the page around them: all never change, so a comment re-renders for its own reasons only. */
export interface CommentThread {
  actions: CommentActions;
  view: ViewStore<ThreadView>;
  /** A top-level comment's branch has hydrated (or mounted): see useCommentThreadValue. */
  branchHydrated(id: string): void;
}

const CommentThreadContext = createContext<CommentThread | null>(null);
export const CommentThreadProvider = CommentThreadContext.Provider;

export function useCommentThread(): CommentThread {
  const thread = useContext(CommentThreadContext);
  if (thread === null) throw new Error('a comment rendered outside its thread (LiveThread provides it)');
  return thread;
}

/**
 * The part of the page around it that a comment shows (`select`, returning a value or a flat
 * record): the component re-renders when that part changes, not whenever the page does. Not
 * useSyncExternalStore: it would re-render every comment whose part changed in one synchronous
 * pass, and when the page goes live that is every comment on it, a task of seconds on a phone
 * with a long thread; the view store tells them a few per task instead (viewStore.ts).
 */
export function useThreadView<T>(select: (view: ThreadView) => T): T {
  const { view } = useCommentThread();
  const latest = useRef(select);
  latest.current = select;
  const last = useRef<{ value: T } | null>(null);
  // The same record while its fields are the same, so an unchanged part compares equal by identity.
  const read = () => {
    const next = latest.current(view.get());
    const kept = last.current;
    if (kept !== null && (Object.is(kept.value, next) || (isRecord(kept.value) && isRecord(next) && shallowEqual(kept.value, next)))) return kept.value;
    last.current = { value: next };
    return next;
  };
  const value = read();
  const shown = useRef(value);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    shown.current = value;
  });
  useEffect(() => {
    const check = () => {
      if (Object.is(read(), shown.current)) return false;
      rerender();
      return true;
    };
    check();
    return view.subscribe(check);
    // `read` reads the latest select through its ref.
  }, [view]);
  return value;
}

const isRecord = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * The page's side: `view` as it is in this render, given to the comments. Comments that render
 * in this pass read it at once; the others are told after the commit and re-render only if
 * what they show of it changed.
 *
 * `serverBranches`: the top-level comments the server rendered. Each is hydrated apart, after the
 * page (CommentItem.tsx, Branch), and must render what the server did: until the last of them
 * has hydrated (or left the page), the comments read the view as it was at the first render,
 * not the live one (viewStore's hold), and they all catch up then.
 */
export function useCommentThreadValue(view: ThreadView, actions: CommentActions, serverBranches: readonly string[]): CommentThread {
  const [store] = useState(() => createViewStore(view));
  const [waiting] = useState(() => new Set(serverBranches));
  if (waiting.size > 0) store.hold();
  store.set(view);
  useLayoutEffect(() => {
    // A branch gone from the page before it hydrated will never say so.
    const onPage = new Set(serverBranches);
    for (const id of waiting) if (!onPage.has(id)) waiting.delete(id);
    if (waiting.size === 0) store.release();
    store.notify();
  });
  return useMemo(
    () => ({
      actions,
      view: store,
      branchHydrated: (id: string) => {
        if (!waiting.delete(id) || waiting.size > 0) return;
        store.release();
      },
    }),
    [actions, store, waiting],
  );
}
