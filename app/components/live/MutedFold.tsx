'use client';

import { useState, type ReactNode } from 'react';
import { peopleIn, type FoldEntry } from '../../../lib/client/readerMutes';
import type { ClientComment } from '../../../lib/client/threadState';
import type { TreeNode } from '../../../lib/domain/tree';
import { useTranslator } from '../../i18n/I18nProvider';
import { useMutes } from './useReaderMutes';

/**
 * "2 comments from muted people", with Show and an Unmute for each person in it: consecutive
 * comments of muted people, folded with what is under them (lib/client/readerMutes.ts). Opened,
 * they show as any comment does.
 */
export function MutedFold({ entry, children }: { entry: Extract<FoldEntry, { kind: 'muted' }>; children: (nodes: TreeNode<ClientComment>[]) => ReactNode }) {
  const t = useTranslator();
  const { unmute } = useMutes();
  const [open, setOpen] = useState(false);
  const people = peopleIn(entry);
  return (
    <div className="muted-fold" data-testid="muted-fold">
      <p className="muted-fold-summary">
        <span className="muted-fold-label">{t.t(people.length > 1 ? 'readerMute.foldedMany' : 'readerMute.folded', { count: entry.nodes.length })}</span>{' '}
        <button type="button" className="link-button action-link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t.t(open ? 'readerMute.hide' : 'readerMute.show')}
        </button>
        {people.map((p) => (
          <button key={p.key} type="button" className="link-button action-link" onClick={() => unmute(p.key)}>
            {t.t('mute.unmute', { name: p.name ?? t.t('comment.anonymous') })}
          </button>
        ))}
      </p>
      {open ? children(entry.nodes) : null}
    </div>
  );
}
