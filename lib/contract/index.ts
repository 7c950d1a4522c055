/** The one wire contract: imported by the server, the pages, the client and the tests. */
export * from './api';
export * from './errors';
export * from './reports';
export * from './socket';
export * from './text';
export * from './paging';
