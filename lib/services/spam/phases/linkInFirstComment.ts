import { hasAddress, linksIn } from '../../../domain/markdown';
import { PASS, type SpamPhase } from '../types';

/**
 * A link in a guest's first comment: until readers or a moderator have let a guest through once
 * (a visible comment), a comment with a link (in its text or the name) waits for review. The
 * commonest spam is a new identity dropping a link. An edit is held when it adds a link the text
 * did not have: an innocent first comment edited into an advertisement is the same spam, while a
 * typo fixed in an approved comment with a link is not.
 */
export const linkInFirstComment: SpamPhase = {
  name: 'linkInFirstComment',
  judge({ input, facts, rules }) {
    if (!rules.linksInFirstComment || facts.published) return PASS;
    if (input.kind === 'post') {
      return linksIn(input.body).length > 0 || hasAddress(input.authorName) ? { spam: true, reason: 'spam_link_first_comment' } : PASS;
    }
    const before = new Set(linksIn(input.previousBody ?? ''));
    return linksIn(input.body).some((link) => !before.has(link)) ? { spam: true, reason: 'spam_link_first_comment' } : PASS;
  },
};
