import { processGlobal } from '../domain/processGlobal';
import type { Services } from './index';

/** The server's one set of services, registered at start and read by the pages (lib/domain/processGlobal.ts says why). */
const services = processGlobal<Services>('threadline.services', {
  missing: 'Threadline services are not registered: start the app with `npm start` (server/main.ts), not `next start`.',
});

export const registerServices = services.register;
export const getServices = services.get;
