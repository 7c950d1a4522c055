import { CommentIdSchema, SlugSchema } from '../../lib/contract/api';
import type { ErrorCode } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';

/**
 * What a route takes and answers, for the OpenAPI document (server/http/openapi.ts).
 * Every route carries its own (`Route.doc` is required), so a new route cannot
 * be added without saying what it does.
 */
export interface RouteDoc {
  summary: string;
  tag: 'threads' | 'comments' | 'moderation' | 'accounts' | 'feeds' | 'ops' | 'meta';
  /** Who may call it: anyone, a signed-in moderator or admin, or an admin only. */
  access?: 'staff' | 'admin';
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentType?: 'application/json' | 'application/x-www-form-urlencoded'; optional?: boolean };
  /** Success answers: JSON with a schema, another media type, or a redirect. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string; headers?: string[] }>;
  /** The error codes this route answers (each with the error envelope), besides the ones every route may answer. */
  errors: ErrorCode[];
}

/** Answered by any route: an unknown path or method, a rate limit, a fault on our side. */
export const COMMON_ERRORS: ErrorCode[] = ['method_not_allowed', 'rate_limited', 'internal', 'unavailable'];
/** Any JSON body: not JSON, too large, not JSON-typed, sent from another site. */
export const JSON_BODY_ERRORS: ErrorCode[] = ['invalid_request', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'cross_site'];
export const STAFF_ERRORS: ErrorCode[] = ['not_signed_in', 'forbidden'];
/** A staff route that takes a JSON body: its own errors after those every such route may answer. */
export const staffJson = (doc: Omit<RouteDoc, 'errors'> & { errors?: ErrorCode[] }): RouteDoc => ({ ...doc, errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, ...(doc.errors ?? [])] });

/** The path parameters most routes take. */
export const SLUG_PARAM = { slug: SlugSchema };
export const COMMENT_ID_PARAM = { id: CommentIdSchema };
export const OkSchema = z.object({ ok: z.literal(true) });
