import { lazy } from 'react';

/**
 * What only a signed-in reader uses on a reader page (following or blocking the thread), in one chunk of its own (./personControls.ts): guests never download it. Each
 * shows only once the reader's own state says they are signed in, after hydration.
 */
const loadPersonControls = () => import('./personControls');

export const ThreadWatchBar = lazy(() => loadPersonControls().then((m) => ({ default: m.ThreadWatchBar })));
/** The bell beside "Commenting as …" in the embed (the reader pages' header loads it as app/islands/bellNav.tsx). */
export const EmbedBell = lazy(() => loadPersonControls().then((m) => ({ default: m.EmbedBell })));
