import { lazy } from 'react';

/**
 * What only a signed-in moderator uses on a reader page, in one chunk of its own
 * (./staffControls.ts): readers never download it (docs/decisions.md, "The reader pages' script").
 * Each shows only once the page is live, after hydration, so the server never renders them and
 * hydration never waits for them; app/islands/thread.tsx starts loading the chunk at once for a moderator.
 */
export const loadStaffControls = () => import('./staffControls');

export const ThreadModeration = lazy(() => loadStaffControls().then((m) => ({ default: m.ThreadModeration })));
export const ModeratorControls = lazy(() => loadStaffControls().then((m) => ({ default: m.ModeratorControls })));
export const UndoRemove = lazy(() => loadStaffControls().then((m) => ({ default: m.UndoRemove })));
