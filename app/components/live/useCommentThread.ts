'use client';

import { createContext, useContext, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
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
  moderate(id: string, action: ModeratorAction): Promise<string | null>;
  report(id: string, report: ReportRequest): Promise<string | null>;
  /** Someone is writing in the box under `parentId` (null: the top one). */
  typed(parentId: string | null): void;
  /** Toggles this reader's like; resolves to why it failed, or null. */
  like(comment: ClientComment): Promise<string | null>;
}

/** What the thread's comments get from the page around them: both never change, so a comment re-renders for its own reasons only. */
export interface CommentThread {
  actions: CommentActions;
  view: ViewStore<ThreadView>;
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
 * record): the component re-renders when that part changes, not whenever the page does.
 */
export function useThreadView<T>(select: (view: ThreadView) => T): T {
  const { view } = useCommentThread();
  const last = useRef<{ value: T } | null>(null);
  // The same record while its fields are the same: React compares snapshots by identity.
  const snapshot = () => {
    const next = select(view.get());
    const kept = last.current;
    if (kept !== null && (Object.is(kept.value, next) || (isRecord(kept.value) && isRecord(next) && shallowEqual(kept.value, next)))) return kept.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(view.subscribe, snapshot, snapshot);
}

const isRecord = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * The page's side: `view` as it is in this render, given to the comments. Comments that render
 * in this pass read it at once; the others are told after the commit and re-render only if
 * what they show of it changed.
 */
export function useCommentThreadValue(view: ThreadView, actions: CommentActions): CommentThread {
  const [store] = useState(() => createViewStore(view));
  store.set(view);
  useLayoutEffect(() => store.notify());
  return useMemo(() => ({ actions, view: store }), [actions, store]);
}
