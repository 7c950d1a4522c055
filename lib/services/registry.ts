import type { Services } from './index';

/**
 * Next.js bundles the pages separately from the server process, so a module
 * imported by both is two modules at run time. The server registers its one
 * set of services on a global symbol and the pages read them from there.
 */
const KEY = Symbol.for('threadline.services');

type WithServices = typeof globalThis & { [KEY]?: Services };

export function registerServices(services: Services | undefined): void {
  (globalThis as WithServices)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as WithServices)[KEY];
  if (!services) throw new Error('Threadline services are not registered: start the app with `npm start` (server/main.ts), not `next start`.');
  return services;
}
