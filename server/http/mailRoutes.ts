import { EMAIL_KIND_KEYS } from '../../app/i18n/emailKinds';
import type { IncomingMessage } from 'node:http';
import { negotiateLocale, translatorFor } from '../../app/i18n/locales';
import type { Translator } from '../../app/i18n/translator';
import {
  DeadLettersResponseSchema,
  EmailAddressRequestSchema,
  EmailRequestedSchema,
  NotificationSettingsResponseSchema,
  NotificationSettingsUpdateSchema,
} from '../../lib/contract/mail';
import { z } from '../../lib/contract/zod';
import { AppError, toAppError } from '../../lib/domain/errors';
import { EMAIL_KINDS, type EmailKind } from '../../lib/domain/notifications';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { UNSUBSCRIBE_PATH, VERIFY_PATH } from '../../lib/services/mail/mailService';
import { escapeHtml } from '../../lib/services/mail/mailTexts';
import { readFormBody, readJsonBody } from './body';
import { requireOwnPage } from './formRoutes';
import { requirePerson } from './meRoutes';
import { JSON_BODY_ERRORS, OkSchema, STAFF_ERRORS, type RouteDoc } from './routeDoc';
import type { Route, RouteResult } from './router';
import { requireStaff } from './staffSession';

/** Where the account page's email section is, and where its forms and links come back to. */
export const ACCOUNT_EMAIL = '/account';
const TOKEN_QUERY = z.object({ t: z.string().optional() });
const meDoc = (d: Omit<RouteDoc, 'tag'>): RouteDoc => ({ tag: 'accounts', ...d, errors: ['sign_in_required', ...d.errors] });

/** Back to the account page's email section, with what happened in the address (the page says it). */
function backToAccount(query: Record<string, string>): RouteResult {
  return { status: 303, location: `${ACCOUNT_EMAIL}?${new URLSearchParams(query).toString()}#email` };
}

/**
 * The unsubscribe page (a plain HTML page of this server's own: it must work in any browser a mail
 * is read in, signed in or not, without script). Its one form posts back to the same address.
 */
function unsubscribePage(t: Translator, status: number, body: string): RouteResult {
  const html = `<!doctype html><html lang="${t.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(t.t('unsubscribe.title'))}</title></head><body><main><h1>${escapeHtml(t.t('unsubscribe.title'))}</h1>${body}</main></body></html>`;
  return {
    status,
    text: html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The one form posts to this address; nothing else runs or loads.
      'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      // The token stays on this site; `no-referrer` would make the browser post the form with `Origin: null` (refused as cross-site).
      'referrer-policy': 'same-origin',
    },
  };
}

const kindList = (t: Translator, kinds: readonly EmailKind[]) => kinds.map((k) => t.t(EMAIL_KIND_KEYS[k])).join(', ');
const translatorOf = (req: IncomingMessage) => translatorFor(negotiateLocale(req.headers['accept-language']));

/**
 * Email for notices over HTTP (docs/email.md, docs/api.md "Email"): a person's choices and address,
 * the link that confirms it, the one-click unsubscribe (RFC 8058) and the admins' dead letters.
 * Handlers validate, call services.mail and answer.
 */
export function mailApiRoutes(services: Services): Route[] {
  const mail = services.mail;
  return [
    {
      method: 'GET',
      path: '/api/me/notification-settings',
      doc: meDoc({ summary: 'The signed-in person’s email for notices: their address (verified or waiting), and their choice per kind.', responses: { 200: { description: 'The settings.', schema: NotificationSettingsResponseSchema } }, errors: [] }),
      handle: async ({ req }) => ({ status: 200, body: { settings: await mail.settings((await requirePerson(services, req)).user) } }),
    },
    {
      method: 'PUT',
      path: '/api/me/notification-settings',
      doc: meDoc({
        summary: 'Choose, per kind, whether notices are mailed at once (batched), in the daily digest, or never. Kinds left out keep their choice.',
        body: { schema: NotificationSettingsUpdateSchema },
        responses: { 200: { description: 'The settings as they are now.', schema: NotificationSettingsResponseSchema } },
        errors: [...JSON_BODY_ERRORS],
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const { choices } = parseOrThrow(NotificationSettingsUpdateSchema, await readJsonBody(req));
        return { status: 200, body: { settings: await mail.setChoices({ user, choices }) } };
      },
    },
    {
      method: 'PUT',
      path: '/api/me/email',
      doc: meDoc({
        summary: 'Give the address notices are mailed to: a link to confirm it is mailed there; the address is the account’s once the link is followed.',
        body: { schema: EmailAddressRequestSchema },
        responses: { 202: { description: 'The link is on its way.', schema: EmailRequestedSchema } },
        errors: [...JSON_BODY_ERRORS, 'email_off'],
      }),
      handle: async ({ req }) => {
        const { user } = await requirePerson(services, req);
        const { email } = parseOrThrow(EmailAddressRequestSchema, await readJsonBody(req));
        return { status: 202, body: await mail.requestAddress({ user, email }) };
      },
    },
    {
      method: 'GET',
      path: VERIFY_PATH,
      doc: {
        summary: 'The link in the confirmation mail: makes the address the account’s, verified (no sign-in needed: the link is the proof).',
        tag: 'accounts',
        query: TOKEN_QUERY,
        responses: { 303: { description: 'To the account page: `?email=verified`, or `?emailError=email_link_invalid&reason=<malformed|unknown|used|expired|taken>`.', headers: ['location'] } },
        errors: [],
      },
      handle: async ({ url }) => {
        try {
          await mail.verifyAddress(url.searchParams.get('t'));
          return backToAccount({ email: 'verified' });
        } catch (err) {
          const error = toAppError(err);
          if (error.status >= 500) throw error;
          return backToAccount({ emailError: error.code, ...(error.fields?.link?.[0] && { reason: error.fields.link[0] }) });
        }
      },
    },
    {
      method: 'GET',
      path: UNSUBSCRIBE_PATH,
      doc: {
        summary: 'The unsubscribe link of a mail, opened in a browser: a page that asks to confirm with one button (nothing changes on GET).',
        tag: 'accounts',
        query: TOKEN_QUERY,
        responses: { 200: { description: 'An HTML page with the button.', contentType: 'text/html' }, 400: { description: 'An HTML page: the link is not valid.', contentType: 'text/html' } },
        errors: [],
      },
      handle: async ({ req, url }) => {
        const t = translatorOf(req);
        const token = url.searchParams.get('t');
        try {
          const { kinds, displayName } = await mail.describeUnsubscribe(token);
          const action = `${UNSUBSCRIBE_PATH}?${new URLSearchParams({ t: token ?? '' }).toString()}`;
          return unsubscribePage(
            t,
            200,
            `<p>${escapeHtml(t.t('unsubscribe.ask', { name: displayName, kinds: kindList(t, kinds) }))}</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t.t('unsubscribe.confirm'))}</button></form><p><a href="${ACCOUNT_EMAIL}#email">${escapeHtml(t.t('unsubscribe.settings'))}</a></p>`,
          );
        } catch (err) {
          if (toAppError(err).code !== 'unsubscribe_link_invalid') throw err;
          return unsubscribePage(t, 400, `<p>${escapeHtml(t.t('error.unsubscribe_link_invalid'))}</p><p><a href="${ACCOUNT_EMAIL}#email">${escapeHtml(t.t('unsubscribe.settings'))}</a></p>`);
        }
      },
    },
    {
      method: 'POST',
      path: UNSUBSCRIBE_PATH,
      // Mail clients post `List-Unsubscribe=One-Click` as a form, with no cookie and no Origin (RFC 8058): the token is the authority.
      unguarded: true,
      doc: {
        summary: 'One-click unsubscribe (RFC 8058), as mail clients post it, and the page’s button: the kinds the token names are set to `never`. Idempotent.',
        tag: 'accounts',
        query: TOKEN_QUERY,
        body: { schema: z.object({ 'List-Unsubscribe': z.string().optional() }), contentType: 'application/x-www-form-urlencoded', optional: true },
        responses: { 200: { description: 'An HTML page: unsubscribed.', contentType: 'text/html' }, 400: { description: 'An HTML page: the link is not valid.', contentType: 'text/html' } },
        errors: ['cross_site'],
      },
      handle: async ({ req, url }) => {
        const t = translatorOf(req);
        try {
          const { kinds } = await mail.unsubscribe(url.searchParams.get('t'));
          return unsubscribePage(t, 200, `<p role="status">${escapeHtml(t.t('unsubscribe.done', { kinds: kindList(t, kinds) }))}</p><p><a href="${ACCOUNT_EMAIL}#email">${escapeHtml(t.t('unsubscribe.settings'))}</a></p>`);
        } catch (err) {
          if (toAppError(err).code !== 'unsubscribe_link_invalid') throw err;
          return unsubscribePage(t, 400, `<p>${escapeHtml(t.t('error.unsubscribe_link_invalid'))}</p>`);
        }
      },
    },
    {
      method: 'GET',
      path: '/api/admin/mail/dead',
      doc: {
        summary: 'Mails given up (refused by the mail server, or failing every attempt), newest first: to whom, what about, why. Never their text.',
        tag: 'moderation',
        access: 'admin',
        responses: { 200: { description: 'The dead letters (at most 200).', schema: DeadLettersResponseSchema } },
        errors: [...STAFF_ERRORS],
      },
      handle: async ({ req }) => {
        await requireStaff(services, req, 'admin');
        return { status: 200, body: { mails: await mail.deadLetters() } };
      },
    },
    {
      method: 'POST',
      path: '/api/admin/mail/:id/retry',
      doc: {
        summary: 'Send a dead mail again: back in the outbox, due at once, its attempts counted afresh (same Message-ID).',
        tag: 'moderation',
        access: 'admin',
        params: { id: z.string() },
        responses: { 200: { description: 'Queued again.', schema: OkSchema } },
        errors: ['cross_site', 'unsupported_media_type', ...STAFF_ERRORS, 'mail_not_found'],
      },
      handle: async ({ req, params }) => {
        await requireStaff(services, req, 'admin');
        const id = params.id ?? '';
        if (!/^[a-z0-9]{1,64}$/.test(id)) throw new AppError('mail_not_found');
        await mail.retry(id);
        return { status: 200, body: { ok: true } };
      },
    },
  ];
}

/** The account page's email section without JavaScript: plain forms that post here and come back to the page. */
export function mailFormRoutes(services: Services): Route[] {
  const mail = services.mail;
  /** A form post of the signed-in person from this site's own page; a refusal goes back to the page, by its code. */
  const form =
    (act: (user: Awaited<ReturnType<typeof requirePerson>>['user'], fields: Record<string, string>) => Promise<Record<string, string>>): Route['handle'] =>
    async ({ req }) => {
      try {
        requireOwnPage(req);
        const fields = await readFormBody(req);
        const { user } = await requirePerson(services, req);
        return backToAccount(await act(user, fields));
      } catch (err) {
        const error = toAppError(err);
        if (error.status >= 500) throw error;
        const field = error.fields ? Object.keys(error.fields)[0] : undefined;
        return backToAccount({ emailError: error.code, ...(field && { field }) });
      }
    };
  const formDoc = (summary: string, schema: z.ZodType): RouteDoc => ({
    summary,
    tag: 'accounts',
    body: { schema, contentType: 'application/x-www-form-urlencoded' },
    responses: { 303: { description: 'Back to the account page’s email section, with `?email=<what happened>` or `?emailError=<code>&field=<field>`.', headers: ['location'] } },
    errors: ['cross_site', 'payload_too_large'],
  });
  return [
    {
      method: 'POST',
      path: `${ACCOUNT_EMAIL}/email`,
      doc: formDoc('Give the address notices are mailed to, without JavaScript (as `PUT /api/me/email`).', z.object({ email: z.string() })),
      handle: form(async (user, fields) => {
        const { pending } = await mail.requestAddress({ user, email: fields.email ?? '' });
        return { email: 'sent', to: pending };
      }),
    },
    {
      method: 'POST',
      path: `${ACCOUNT_EMAIL}/notification-settings`,
      doc: formDoc(
        'Choose per kind, without JavaScript (as `PUT /api/me/notification-settings`): one field per kind.',
        z.object(Object.fromEntries(EMAIL_KINDS.map((k) => [k, z.string().optional()]))),
      ),
      handle: form(async (user, fields) => {
        const given = Object.fromEntries(EMAIL_KINDS.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
        const { choices } = parseOrThrow(NotificationSettingsUpdateSchema, { choices: given });
        await mail.setChoices({ user, choices });
        return { email: 'saved' };
      }),
    },
  ];
}
