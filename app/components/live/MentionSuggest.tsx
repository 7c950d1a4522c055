'use client';

import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { Badge } from '../../../lib/domain/identity';
import { insertMention, mentionQueryAt, type MentionQuery } from '../../../lib/client/mentionQuery';
import type { Translator } from '../../i18n/translator';

/** One person the suggestion offers (GET /api/threads/<slug>/participants: lib/contract/mentions.ts, not imported here: it brings zod). */
interface Person {
  id: string;
  name: string;
  badges: Badge[];
}

interface Props {
  /** The comment box's text field: the suggestion follows its caret and takes its keys while open. */
  field: RefObject<HTMLTextAreaElement | null>;
  slug: string;
  body: string;
  /** Puts the chosen `@Name ` into the box (the composer's draft). */
  onChange: (body: string) => void;
  /** The box's translator and longest name, handed in: this chunk imports nothing the page's own chunks hold, so they are not split for it. */
  t: Translator;
  nameMax: number;
}

/** How long typing must pause before the people are asked for (a name typed fast costs one request). */
const ASK_AFTER_MS = 120;

/** The people of the thread whose name starts with `q`, remembered per page view; empty on any failure (the box works without). */
function createPeopleSource(slug: string) {
  const known = new Map<string, Promise<Person[]>>();
  return (q: string): Promise<Person[]> => {
    const key = q.toLowerCase();
    let people = known.get(key);
    if (!people) {
      people = fetch(`/api/threads/${encodeURIComponent(slug)}/participants?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' })
        .then(async (res) => (res.ok ? ((await res.json()) as { participants: Person[] }).participants : []))
        .catch(() => []);
      known.set(key, people);
      // A failure is asked again next time.
      void people.then((list) => list.length === 0 && known.delete(key));
    }
    return people;
  };
}

/**
 * The `@` suggestion of the comment box (docs/mentions.md), a chunk of its own loaded when the first
 * `@` is typed: the people of this thread whose name starts with what follows the `@`, in a listbox
 * under the box. The text field keeps focus and says which option is active
 * (`aria-activedescendant`); ↑/↓ move, Enter or Tab choose, Escape closes, a click chooses too.
 * Choosing writes `@Display Name ` into the text, which the server recognises like any typed name.
 */
export default function MentionSuggest({ field, slug, body, onChange, t, nameMax }: Props) {
  const id = useId();
  const listId = `${id}-people`;
  const optionId = (index: number) => `${id}-person-${index}`;
  const [caret, setCaret] = useState<number | null>(null);
  const [people, setPeople] = useState<{ query: string; list: Person[] }>({ query: '', list: [] });
  const [active, setActive] = useState(0);
  // The text as it was when Escape closed the list: it stays closed until the text changes.
  const [closedAt, setClosedAt] = useState<string | null>(null);
  const source = useRef(createPeopleSource(slug));

  const query: MentionQuery | null = caret === null ? null : mentionQueryAt(body, caret, nameMax);
  const typed = query && query.query.length > 0 ? query.query : null;
  const list = typed !== null && people.query === typed ? people.list : [];
  const open = list.length > 0 && closedAt !== body;
  const current = Math.min(active, Math.max(0, list.length - 1));

  // Where the caret is, as the field moves it (typing, clicks, arrow keys outside the list); null once focus leaves.
  useEffect(() => {
    const element = field.current;
    if (!element) return;
    const follow = () => setCaret(document.activeElement === element ? element.selectionEnd : null);
    const leave = () => setCaret(null);
    const events = ['input', 'keyup', 'click', 'focus', 'select'] as const;
    for (const name of events) element.addEventListener(name, follow);
    element.addEventListener('blur', leave);
    follow();
    return () => {
      for (const name of events) element.removeEventListener(name, follow);
      element.removeEventListener('blur', leave);
    };
  }, [field]);

  // Ask for the people once typing pauses; an answer for an earlier query is dropped.
  useEffect(() => {
    if (typed === null) return;
    let current = true;
    const timer = setTimeout(() => {
      void source.current(typed).then((list) => {
        if (!current) return;
        setPeople({ query: typed, list });
        setActive(0);
      });
    }, ASK_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [typed]);

  const choose = (index: number) => {
    const person = list[index];
    const element = field.current;
    if (!person || !query || !element) return;
    const next = insertMention(body, query, person.name);
    onChange(next.text);
    setPeople({ query: '', list: [] });
    // After React has put the new text in the field.
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(next.caret, next.caret);
      setCaret(next.caret);
    });
  };

  // The list's keys, taken before the box's own (a plain Enter would otherwise start a new line).
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e) => {
    if (!open || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + list.length) % list.length);
    } else if ((e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey)) {
      e.preventDefault();
      choose(current);
    } else if (e.key === 'Escape') {
      // Closes the list only: a reply box's own Escape (cancel) waits for the next one.
      e.preventDefault();
      e.stopPropagation();
      setClosedAt(body);
    }
  };
  useEffect(() => {
    const element = field.current;
    if (!element) return;
    const onKey = (e: KeyboardEvent) => keys.current(e);
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, [field]);

  // The field says it offers a list, which one, and which option is active (the combobox pattern on a text field).
  useEffect(() => {
    const element = field.current;
    if (!element) return;
    element.setAttribute('aria-autocomplete', 'list');
    if (open) {
      element.setAttribute('aria-controls', listId);
      element.setAttribute('aria-activedescendant', optionId(current));
    } else {
      element.removeAttribute('aria-controls');
      element.removeAttribute('aria-activedescendant');
    }
  });

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {open ? t.t('mention.results', { count: list.length }) : typed !== null && people.query === typed && closedAt !== body ? t.t('mention.noResults') : ''}
      </p>
      {open ? (
        <ul className="mention-list" role="listbox" id={listId} aria-label={t.t('mention.listLabel')} data-testid="mention-list">
          {list.map((person, index) => (
            <li
              key={person.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'mention-option mention-option-active' : 'mention-option'}
              // The field keeps focus: a click chooses without taking it.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(index)}
            >
              <bdi>{person.name}</bdi>
              {person.badges.map((badge) => (
                <span key={badge} className={`badge badge-author badge-${badge}`}>
                  {t.t(`badge.${badge}`)}
                </span>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
