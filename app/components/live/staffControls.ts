/** The moderator's controls of a reader page, as one chunk (./staffOnly.ts loads it). */
export { ModeratorControls } from './ModeratorControls';
export { ThreadModeration } from './ThreadModeration';
export { UndoRemove } from './UndoRemove';
