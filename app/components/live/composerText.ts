import { BODY_MAX, NAME_MAX } from '../../../lib/contract/limits';
import { WAIT_CODES, type BoxStatus, type DraftProblem } from '../../../lib/client/composer';
import type { BanDetails } from '../../../lib/contract/errors';
import { errorKey } from '../../i18n/errorMessage';
import type { MessageKey, Translator } from '../../i18n/translator';

/** Rules the server words the same for both fields; the field is named in the sentence. */
const EITHER_FIELD: Partial<Record<DraftProblem['rule'], MessageKey>> = {
  control: 'compose.unusable',
  loneSurrogate: 'compose.unusable',
  marks: 'compose.marks',
};

function problemText(t: Translator, problem: DraftProblem, reply: boolean): string {
  const shared = EITHER_FIELD[problem.rule];
  if (shared) return t.t(shared, { field: t.t(problem.field === 'authorName' ? 'form.name' : reply ? 'form.replyLabel' : 'form.comment') });
  if (problem.field === 'body') return problem.rule === 'tooLong' ? tooLongText(t) : t.t('compose.empty');
  if (problem.rule === 'tooLong') return t.t('compose.nameTooLong', { max: NAME_MAX });
  return problem.rule === 'bidi' ? t.t('compose.nameBidi') : t.t('compose.nameMissing');
}

/** A banned person reads why, and until when, in their own language and time zone. */
export function bannedText(t: Translator, ban: BanDetails): string {
  return ban.until ? t.t('compose.bannedUntil', { until: t.localDate(ban.until, { long: true }), reason: ban.reason }) : t.t('compose.bannedForGood', { reason: ban.reason });
}

/** Said for as long as the body is over the limit. */
export function tooLongText(t: Translator): string {
  return t.t('compose.tooLong', { max: BODY_MAX });
}

/**
 * What the box says about its last attempt, next to its Post button, or null.
 * A refusal that was about when (slow mode, too fast) is said only while the
 * wait lasts: `waiting`.
 */
export function statusText(t: Translator, status: BoxStatus, options: { reply: boolean; waiting: boolean }): string | null {
  switch (status.state) {
    case 'idle':
    case 'sending':
      return null;
    case 'invalid':
      return problemText(t, status.problem, options.reply);
    case 'held':
      return t.t(status.offline ? 'compose.offline' : 'compose.noAnswer');
    case 'refused':
      if (WAIT_CODES.has(status.code)) return options.waiting ? t.t(status.code === 'slow_mode' ? 'compose.slowMode' : 'compose.tooFast') : null;
      if (status.code === 'banned' && status.ban) return bannedText(t, status.ban);
      return t.t('thread.notPosted', { reason: t.t(errorKey(status.code)) });
  }
}
