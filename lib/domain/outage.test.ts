import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError, toAppError, UNAVAILABLE_RETRY_AFTER_S } from './errors';
import { isOutage } from './outage';

/** An error as a driver raises it: a message and a `code`. */
function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isOutage: a dependency that is down, not a bug', () => {
  const outages: [string, unknown][] = [
    ['connection refused', driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', driverError('read ECONNRESET', 'ECONNRESET')],
    ['timed out', driverError('connect ETIMEDOUT', 'ETIMEDOUT')],
    ['host not found', driverError('getaddrinfo ENOTFOUND db', 'ENOTFOUND')],
    ['pg admin shutdown', driverError('terminating connection due to administrator command', '57P01')],
    ['pg crash shutdown', driverError('terminating connection because of crash of another server process', '57P02')],
    ['pg starting up', driverError('the database system is starting up', '57P03')],
    ['pg too many connections', driverError('sorry, too many clients already', '53300')],
    ['pg statement timeout', driverError('canceling statement due to statement timeout', '57014')],
    ['pg connection exception 08006', driverError('connection failure', '08006')],
    ['pg connection exception 08001', driverError('could not connect', '08001')],
    ['pg connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg connection timeout', new Error('Connection terminated due to connection timeout')],
    ['pg-pool timeout', new Error('timeout exceeded when trying to connect')],
    ['pg broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['pg query timeout', new Error('Query read timeout')],
    ['SQLite busy', driverError('database is locked', 'SQLITE_BUSY')],
    ['SQLite busy snapshot', driverError('database is locked', 'SQLITE_BUSY_SNAPSHOT')],
    ['SQLite cannot open', driverError('unable to open database file', 'SQLITE_CANTOPEN')],
    ['SQLite I/O error', driverError('disk I/O error', 'SQLITE_IOERR_WRITE')],
    ['refused on every address (AggregateError)', Object.assign(new AggregateError([driverError('a', 'ECONNREFUSED'), driverError('b', 'ECONNREFUSED')], ''), { code: 'ECONNREFUSED' })],
    ['an AggregateError without a code', new AggregateError([new Error('x'), driverError('b', 'ECONNREFUSED')], '')],
    ['wrapped as a cause', new Error('query failed', { cause: driverError('x', '57P01') })],
  ];
  for (const [what, err] of outages) test(what, () => assert.equal(isOutage(err), true));

  const bugs: [string, unknown][] = [
    ['a plain Error', new Error('undefined is not a function')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['pg syntax error', driverError('syntax error at or near "SELEC"', '42601')],
    ['pg unique violation', driverError('duplicate key value violates unique constraint', '23505')],
    ['pg undefined table', driverError('relation "x" does not exist', '42P01')],
    ['SQLite constraint', driverError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['SQLite generic error', driverError('no such table: x', 'SQLITE_ERROR')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
    ['undefined', undefined],
    ['a number code', Object.assign(new Error('x'), { code: 8006 })],
    ['a message mentioning a connection, not at its start', new Error('user said: Connection terminated unexpectedly')],
  ];
  for (const [what, err] of bugs) test(`not: ${what}`, () => assert.equal(isOutage(err), false));

  test('a cycle of causes ends', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(isOutage(a), false);
  });
});

describe('toAppError: what a client sees of an error that is not an AppError', () => {
  test('a database outage is 503 unavailable with Retry-After; the detail is private', () => {
    const err = toAppError(driverError('connect ECONNREFUSED 10.0.0.5:5432 /var/run/postgresql', 'ECONNREFUSED'));
    assert.equal(err.code, 'unavailable');
    assert.equal(err.status, 503);
    assert.equal(err.retryAfter, UNAVAILABLE_RETRY_AFTER_S);
    assert.match(err.detail ?? '', /ECONNREFUSED 10\.0\.0\.5/);
    assert.deepEqual(err.toBody(), { code: 'unavailable', message: 'The service is temporarily unavailable. Please try again shortly.', retryAfter: UNAVAILABLE_RETRY_AFTER_S });
  });

  test('anything else is 500 internal with the generic message: no stack, SQL or path', () => {
    const thrown = driverError('syntax error at or near "SELEC" in /srv/threadline/lib/store/sqlStore.ts', '42601');
    const err = toAppError(thrown);
    assert.equal(err.code, 'internal');
    assert.equal(err.status, 500);
    assert.deepEqual(err.toBody(), { code: 'internal', message: 'Something went wrong on our side. Please try again.' });
    assert.ok(err.detail?.includes('sqlStore.ts'), 'the detail keeps the stack for the log');
    const body = JSON.stringify(err.toBody());
    for (const secret of ['SELEC', '/srv/', 'sqlStore', 'at ']) assert.ok(!body.includes(secret), `${secret} leaked`);
  });

  test('an AppError passes through unchanged', () => {
    const original = new AppError('rate_limited', { retryAfter: 7 });
    assert.equal(toAppError(original), original);
  });

  test('a thrown non-Error is internal too', () => {
    assert.equal(toAppError('boom').code, 'internal');
    assert.equal(toAppError(undefined).code, 'internal');
  });
});
