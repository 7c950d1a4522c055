import { ERRORS, ErrorResponseSchema, type ErrorCode } from '../../lib/contract/errors';
import { z } from '../../lib/contract/zod';
import { COMMON_ERRORS, type RouteDoc } from './routeDoc';
import type { DocumentedRoute } from './router';
import { STAFF_COOKIE } from './staffSession';

type JsonSchema = Record<string, unknown>;

const routeKey = (route: Pick<DocumentedRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** zod → JSON Schema 2020-12, OpenAPI 3.1's own dialect. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // `unknown` fields (the server-owned ones a client may send and that are dropped) become `{}`.
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };

/** Error answers grouped by status, each listing its stable codes. */
function errorResponses(codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...codes, ...COMMON_ERRORS]) {
    const status: number = ERRORS[code].status;
    if (!byStatus.has(status)) byStatus.set(status, new Set());
    byStatus.get(status)!.add(code);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, set]) => [
      String(status),
      {
        description: `Error envelope; \`error.code\` is one of: ${[...set].map((c) => `\`${c}\``).join(', ')}.`,
        content: { 'application/json': { schema: ERROR_REF } },
      },
    ]),
  );
}

const HEADER_DOCS: Record<string, { description: string }> = {
  location: { description: 'Where the browser goes next.' },
  etag: { description: "Changes whenever the thread's seq does." },
  'last-modified': { description: 'The time of the thread’s latest change.' },
};

function operation(key: string, doc: RouteDoc): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const [name, schema] of Object.entries(doc.params ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: jsonSchema(schema, 'input') });
  }
  if (doc.query) {
    const query = jsonSchema(doc.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    const content = response.schema
      ? { 'application/json': { schema: jsonSchema(response.schema, 'output') } }
      : response.contentType
        ? { [response.contentType]: { schema: { type: 'string' } } }
        : undefined;
    const headers = response.headers && Object.fromEntries(response.headers.map((h) => [h, { ...HEADER_DOCS[h], schema: { type: 'string' } }]));
    responses[status] = { description: response.description, ...(content && { content }), ...(headers && { headers }) };
  }
  Object.assign(responses, errorResponses(doc.errors));
  const access = doc.access === 'admin' ? ' Admins only.' : doc.access === 'staff' ? ' Moderators and admins.' : '';
  return {
    operationId: key.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toLowerCase()),
    summary: doc.summary,
    ...(access && { description: `Needs the staff session cookie.${access}` }),
    tags: [doc.tag],
    ...(doc.access && { security: [{ staffSession: [] }] }),
    ...(parameters.length > 0 && { parameters }),
    ...(doc.body && {
      requestBody: {
        required: !doc.body.optional,
        content: { [doc.body.contentType ?? 'application/json']: { schema: jsonSchema(doc.body.schema, 'input') } },
      },
    }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the routes the server really serves, each with
 * the documentation it carries. A route without one does not compile; one that
 * slips through (a cast) or a route listed twice is a programming error, thrown
 * when the document is first built (and by the tests).
 */
export function buildOpenApiDocument(options: { routes: DocumentedRoute[]; version: string }): Record<string, unknown> {
  const keys = options.routes.map(routeKey);
  const undocumented = options.routes.filter((route) => !route.doc?.summary).map(routeKey);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (undocumented.length > 0 || twice.length > 0) {
    throw new Error(`OpenAPI document: undocumented ${JSON.stringify(undocumented)}, listed twice ${JSON.stringify(twice)}`);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of options.routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(routeKey(route), route.doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Threadline',
      version: options.version,
      description: 'The HTTP API of a Threadline server (docs/api.md). Every error answers the same JSON envelope with a stable `code`.',
    },
    paths,
    components: {
      schemas: { ErrorResponse: jsonSchema(ErrorResponseSchema, 'output') },
      securitySchemes: { staffSession: { type: 'apiKey', in: 'cookie', name: STAFF_COOKIE, description: 'Set by POST /api/auth/login.' } },
    },
  };
}
