import type { SpamPhase } from '../types';
import { linkInFirstComment } from './linkInFirstComment';
import { newGuestBurst } from './newGuestBurst';
import { repeatedText } from './repeatedText';

export { outsideService } from './outsideService';

/**
 * The built-in signals, in the order they are judged: the first that says spam holds the comment
 * with its reason. A new signal is one file here and one entry in this list; every post and edit
 * (HTTP, socket, no-JavaScript form) goes through the list (lib/services/spam/spamCheck.ts).
 */
export const BUILT_IN_PHASES: readonly SpamPhase[] = [linkInFirstComment, repeatedText, newGuestBurst];
