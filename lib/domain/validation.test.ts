import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { AppError } from './errors';
import { fieldErrors, parseOrThrow } from './validation';

const PostSchema = z.object({
  body: z.string().min(1, 'write something'),
  author: z.object({ name: z.string().max(5, 'name too long') }),
  tags: z.array(z.string()).optional(),
});

/** The AppError parseOrThrow throws for `input`, failing if it parses. */
function rejection(schema: z.ZodType, input: unknown): AppError {
  try {
    parseOrThrow(schema, input);
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    return err;
  }
  return assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseOrThrow', () => {
  test('valid input comes back parsed, with unknown keys stripped and transforms applied', () => {
    const schema = PostSchema.extend({ count: z.coerce.number() });
    const parsed = parseOrThrow(schema, { body: 'hi', author: { name: 'Ann' }, count: '3', extra: true });
    assert.deepEqual(parsed, { body: 'hi', author: { name: 'Ann' }, count: 3 });
  });

  test('invalid input throws a 400 invalid_request', () => {
    const err = rejection(PostSchema, { body: '', author: { name: 'Ann' } });
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.status, 400);
    assert.deepEqual(err.fields, { body: ['write something'] });
  });

  test('fields are keyed by dotted path, nested objects and array items included', () => {
    const err = rejection(PostSchema, { body: '', author: { name: 'Annabelle' }, tags: ['ok', 7] });
    assert.deepEqual(Object.keys(err.fields ?? {}).sort(), ['author.name', 'body', 'tags.1']);
    assert.deepEqual(err.fields?.['author.name'], ['name too long']);
  });

  test('the client body carries the fields, under the public message', () => {
    const err = rejection(PostSchema, { body: 'x', author: { name: 'Annabelle' } });
    assert.deepEqual(err.toBody(), { code: 'invalid_request', message: 'The request is not valid.', fields: { 'author.name': ['name too long'] } });
  });
});

describe('fieldErrors', () => {
  function errorsFor(schema: z.ZodType, input: unknown): Record<string, string[]> {
    const result = schema.safeParse(input);
    if (result.success) return assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
    return fieldErrors(result.error);
  }

  test('several messages for one field are all kept, in order', () => {
    const schema = z.object({ code: z.string().min(3, 'too short').regex(/^\d+$/, 'digits only') });
    assert.deepEqual(errorsFor(schema, { code: 'a' }), { code: ['too short', 'digits only'] });
  });

  test('a problem with the input as a whole is keyed by the empty string', () => {
    const schema = z.object({ a: z.string() });
    const fields = errorsFor(schema, 'not an object');
    assert.deepEqual(Object.keys(fields), ['']);
    assert.equal(fields['']?.length, 1);
  });

  test('a refinement can point its message at a nested path', () => {
    const schema = z.object({ range: z.object({ from: z.number(), to: z.number() }) }).refine((v) => v.range.from <= v.range.to, {
      message: 'must not be before from',
      path: ['range', 'to'],
    });
    assert.deepEqual(errorsFor(schema, { range: { from: 5, to: 1 } }), { 'range.to': ['must not be before from'] });
  });
});
