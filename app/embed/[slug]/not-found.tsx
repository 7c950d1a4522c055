import { serverTranslator } from '../../i18n/server';

/**
 * An embed whose thread does not exist: its host has not opened it (no token, or
 * one that opens nothing: docs/embed.md). Said in the host's frame, without the
 * site's links, which have no place there.
 */
export default async function EmbedNotFound() {
  const t = await serverTranslator();
  return (
    <div className="empty-state">
      <h1>{t.t('embed.noDiscussion.title')}</h1>
      <p>{t.t('embed.noDiscussion.text')}</p>
    </div>
  );
}
