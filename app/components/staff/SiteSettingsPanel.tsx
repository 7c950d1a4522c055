'use client';

import { useState } from 'react';
import { COMMENT_POLICIES, TRUST_LIMITS, type SiteSettings } from '../../../lib/domain/commentPolicy';
import { useTranslator } from '../../i18n/I18nProvider';
import { serverApi } from '../serverApi';

/** Admins only: who may comment on the site, and the trust rules (docs/moderation.md); saved with `PUT /api/settings`, audited. */
export function SiteSettingsPanel({ initial }: { initial: SiteSettings }) {
  const t = useTranslator();
  const [settings, setSettings] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const number = (key: 'newAccountHold' | 'rejections' | 'rejectionWindowDays', min: number) => (
    <input
      id={`setting-${key}`}
      type="number"
      min={min}
      max={TRUST_LIMITS[key]}
      value={settings[key]}
      onChange={(e) => setSettings((s) => ({ ...s, [key]: Number(e.target.value) }))}
    />
  );

  const save = async () => {
    const result = await serverApi.saveSiteSettings(settings);
    if (result.ok) {
      setSettings(result.data);
      setMessage(t.t('admin.settingsSaved'));
    } else setMessage(t.t(result.error.message));
  };

  return (
    <section className="admin-panel" aria-labelledby="site-settings-heading">
      <h2 id="site-settings-heading">{t.t('admin.policy')}</h2>
      {message ? <p role="status">{message}</p> : null}
      <fieldset>
        <legend className="form-note">{t.t('admin.policyNote')}</legend>
        {COMMENT_POLICIES.map((policy) => (
          <label key={policy} className="form-choice">
            <input type="radio" name="comment-policy" value={policy} checked={settings.commentPolicy === policy} onChange={() => setSettings((s) => ({ ...s, commentPolicy: policy }))} />{' '}
            {t.t(`admin.policy.${policy}`)}
          </label>
        ))}
      </fieldset>
      <p>
        <label htmlFor="setting-newAccountHold">{t.t('admin.newAccountHold')}</label> {number('newAccountHold', 0)}
      </p>
      <p>
        <label htmlFor="setting-rejections">{t.t('admin.rejections')}</label> {number('rejections', 0)}{' '}
        <label htmlFor="setting-rejectionWindowDays">{t.t('admin.rejectionWindowDays')}</label> {number('rejectionWindowDays', 1)}
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void save()}>
          {t.t('admin.saveSettings')}
        </button>
      </div>
    </section>
  );
}
