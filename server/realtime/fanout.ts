import { EVENTS, threadRoom } from '../../lib/contract/socket';
import type { EventBus } from '../../lib/services';
import { toWireEvent } from '../../lib/services/commentView';
import type { IoServer } from './types';

/**
 * Maps committed thread events to their room. With the Redis adapter the emit
 * reaches every node; a message Redis drops is recovered by the readers' seq
 * catch-up, never by retrying here.
 */
export function fanOutThreadEvents(deps: { io: IoServer; bus: EventBus }): () => void {
  return deps.bus.subscribe(({ slug, event }) => {
    deps.io.to(threadRoom(slug)).emit(EVENTS.threadEvent, toWireEvent(slug, event));
  });
}
