import { PASS, type SpamPhase } from '../types';

/**
 * A burst of new guests from one address: a script that drops its cookie gets a new guest for
 * every post, each with a clean history. Past `count` guests first seen posting from one address
 * within the window, the posts of the new ones are held until one is let through. The default is
 * generous (an office or a school shares one address: docs/security.md, "Spam"); a guest with a
 * visible comment is known and passes, and an edit adds no guest.
 */
export const newGuestBurst: SpamPhase = {
  name: 'newGuestBurst',
  judge({ input, facts, rules }) {
    if (rules.newGuests === 'off' || input.kind !== 'post' || facts.published || !facts.guestIsNew) return PASS;
    return facts.newGuestsFromAddress > rules.newGuests.count ? { spam: true, reason: 'spam_new_guest_burst' } : PASS;
  },
};
