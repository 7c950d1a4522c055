'use client';

import { useState } from 'react';

const SLOW_MODE_CHOICES = [0, 10, 30, 60, 300, 900];

async function call(path: string, init: RequestInit): Promise<string | null> {
  const res = await fetch(path, init).catch(() => null);
  if (!res) return 'You are offline; try again when you are back.';
  if (res.ok) return null;
  const json = (await res.json().catch(() => ({}))) as { error?: { message: string } };
  return json.error?.message ?? 'That did not work.';
}

/** A moderator's controls for the whole thread: lock, slow mode, pre-moderation. The page follows the resulting events. */
export function ThreadModeration(props: { slug: string; locked: boolean; slowModeSeconds: number; preModeration: boolean }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (path: string, init: RequestInit) => {
    setBusy(true);
    setProblem(await call(path, init));
    setBusy(false);
  };
  const patch = (body: object) => run(`/api/threads/${props.slug}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return (
    <div className="mod-bar" role="group" aria-label="Moderate this thread">
      <span className="mod-bar-label">Moderation</span>
      <button type="button" className="button" disabled={busy} onClick={() => void run(`/api/threads/${props.slug}/${props.locked ? 'unlock' : 'lock'}`, { method: 'POST' })}>
        {props.locked ? 'Unlock thread' : 'Lock thread'}
      </button>
      <label className="mod-bar-field">
        Slow mode
        <select value={props.slowModeSeconds} disabled={busy} onChange={(e) => void patch({ slowModeSeconds: Number(e.target.value) })}>
          {[...new Set([...SLOW_MODE_CHOICES, props.slowModeSeconds])]
            .sort((a, b) => a - b)
            .map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'off' : s < 60 ? `${s} s` : `${s / 60} min`}
              </option>
            ))}
        </select>
      </label>
      <label className="mod-bar-field">
        <input type="checkbox" checked={props.preModeration} disabled={busy} onChange={(e) => void patch({ preModeration: e.target.checked })} />
        Pre-moderation
      </label>
      {problem ? (
        <span className="form-error" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
