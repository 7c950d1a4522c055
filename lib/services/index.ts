import type { Store } from '../store/store';
import { createThreadService, type ThreadService } from './threadService';

export type { ThreadPage, ThreadService } from './threadService';

/** Everything the HTTP API, the socket handlers and the pages call into. */
export interface Services {
  store: Store;
  threads: ThreadService;
}

export function createServices(deps: { store: Store }): Services {
  return { store: deps.store, threads: createThreadService(deps) };
}
