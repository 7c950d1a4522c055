import { lazy } from 'react';

/**
 * The comment box's `@` suggestion (./MentionSuggest.tsx) in a chunk of its own, loaded when the first
 * `@` is typed: a reader who never mentions anyone never downloads it (docs/decisions.md, "The reader
 * pages' script"). Without JavaScript nothing is needed: the server recognises a typed `@Name`.
 */
export const MentionSuggest = lazy(() => import('./MentionSuggest'));

/** Whether a text has an `@` (or a fullwidth one) that the suggestion may be wanted for. */
export const wantsSuggestion = (text: string) => text.includes('@') || text.includes('\uff20');
