// Free of zod, so that the page can name an error without the schemas in ./errors.ts.

/**
 * Every error a client can see, with its HTTP status and the public message.
 * Clients switch on `code`; the message is for people and may change.
 * Private detail (SQL, stack, paths) never goes here: it stays in the server log.
 */
export const ERRORS = {
  invalid_request: { status: 400, message: 'The request is not valid.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  not_found: { status: 404, message: 'There is nothing here.' },
  thread_not_found: { status: 404, message: 'No thread has that slug.' },
  comment_not_found: { status: 404, message: 'No comment has that id in this thread.' },
  parent_not_found: { status: 404, message: 'The comment you are replying to does not exist or can no longer be answered.' },
  not_your_comment: { status: 403, message: 'Only the author can change this comment.' },
  edit_window_closed: { status: 403, message: 'Comments can be edited only in the first 5 minutes.' },
  comment_gone: { status: 409, message: 'This comment was deleted or removed and can no longer be changed.' },
  comment_held: { status: 409, message: 'This comment is waiting for a moderator: it can be changed once it has been reviewed.' },
  already_handled: { status: 409, message: 'Another moderator has already handled this.' },
  invalid_credentials: { status: 401, message: 'That username and password do not match.' },
  not_signed_in: { status: 401, message: 'Sign in as a moderator to do this.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  banned: { status: 403, message: 'You have been banned from commenting.' },
  cross_site: { status: 403, message: 'Requests from other sites are not accepted.' },
  form_token_invalid: { status: 403, message: 'This form has expired or did not come from this site. Reload the page and try again.' },
  user_not_found: { status: 404, message: 'No account has that username.' },
  person_not_found: { status: 404, message: 'No account or guest has that id here.' },
  sign_in_required: { status: 401, message: 'Sign in to do this.' },
  account_required: { status: 403, message: 'Sign in to comment on this discussion.' },
  sign_in_method_off: { status: 404, message: 'This way of signing in is not set up on this site.' },
  account_removed: { status: 403, message: 'This account has been closed.' },
  sso_token_invalid: { status: 401, message: "The site's sign-in token was refused." },
  display_name_taken: { status: 409, message: 'Someone on this site already goes by that name.' },
  oidc_failed: { status: 400, message: 'Signing in with that provider did not work. Please try again.' },
  oidc_unavailable: { status: 503, message: 'The sign-in provider cannot be reached right now. Please try again later.' },
  cannot_mute_self: { status: 400, message: 'You cannot mute yourself.' },
  session_not_found: { status: 404, message: 'You have no session with that id.' },
  sign_in_link_invalid: { status: 400, message: 'This sign-in link cannot be used: it is malformed, expired, already used, or was asked for in another browser. Ask for a new one.' },
  sign_in_code_invalid: { status: 400, message: 'This sign-in code is unknown, used or expired. Sign in again.' },
  email_off: { status: 404, message: 'This site sends no email (it has no mail server set up).' },
  email_link_invalid: { status: 400, message: 'This confirmation link cannot be used: it is malformed, expired or already used, or another account has this address. Ask for a new one.' },
  unsubscribe_link_invalid: { status: 400, message: 'This unsubscribe link is not valid. Change what you are mailed in your settings.' },
  mail_not_found: { status: 404, message: 'No mail that was given up has that id.' },
  method_not_allowed: { status: 405, message: 'That method is not allowed here.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  thread_locked: { status: 423, message: 'This thread is locked: comments can no longer be added or changed.' },
  branch_locked: { status: 423, message: 'This part of the discussion is locked: replies can no longer be added or changed.' },
  rate_limited: { status: 429, message: 'You are posting too fast. Please wait a moment.' },
  slow_mode: { status: 429, message: 'Slow mode is on in this discussion: please wait before posting again.' },
  too_many_connections: { status: 429, message: 'Too many live connections from your network address. Close a page or try again later.' },
  unsupported_media_type: { status: 415, message: 'Send the request body as application/json.' },
  internal: { status: 500, message: 'Something went wrong on our side. Please try again.' },
  unavailable: { status: 503, message: 'The service is temporarily unavailable. Please try again shortly.' },
  sign_in_busy: { status: 503, message: 'Too many sign-ins are being checked right now. Please try again in a few seconds.' },
  not_ready: { status: 503, message: 'This server is not ready to take traffic (it is stopping, or a service it needs is down).' },
  not_answerable: { status: 409, message: 'Only a shown reply to a question in a Q&A discussion can be its answer.' },
  origin_not_allowed: { status: 403, message: 'This site may not show comment counts: its origin is not in EMBED_ORIGINS.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];
