import { PASS, type SpamPhase } from '../types';

/**
 * The same text in many threads: once a text (folded and fingerprinted, by anyone) has been
 * posted in `count` distinct threads within the window, it is held in every further one. A
 * patient spammer pastes one pitch under every article; people discussing an article answer it.
 */
export const repeatedText: SpamPhase = {
  name: 'repeatedText',
  judge({ facts, rules }) {
    if (rules.repeatedText === 'off') return PASS;
    return facts.threadsWithText > rules.repeatedText.count ? { spam: true, reason: 'spam_repeated_text' } : PASS;
  },
};
