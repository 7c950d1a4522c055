import { EVENTS, staffRoom, threadRoom } from '../../lib/contract/socket';
import type { EventBus, ThreadDeletion } from '../../lib/services';
import type { BadgeLookup } from '../../lib/services/badgeDirectory';
import { toWireEvent } from '../../lib/services/commentView';
import type { IoServer } from './types';

/**
 * Maps committed thread events to their room. With the Redis adapter the emit
 * reaches every node; a message Redis drops is recovered by the readers' seq
 * catch-up, never by retrying here.
 */
export function fanOutThreadEvents(deps: { io: IoServer; bus: EventBus; deletions: EventBus<ThreadDeletion>; badges?: BadgeLookup }): () => void {
  const stopEvents = deps.bus.subscribe(({ slug, event }) => {
    const room = threadRoom(slug);
    deps.io.to(room).emit(EVENTS.threadEvent, toWireEvent(slug, event, deps.badges));
    // A hidden thread is followed by staff alone: told of the hiding, everyone else leaves its room on every node,
    // so a page that ignores the news hears nothing more of it (a later subscribe is refused as for a missing thread).
    if (event.type === 'thread.updated' && event.thread.hidden) deps.io.in(room).except(staffRoom()).socketsLeave(room);
  });
  // A deleted thread has no seq left to carry the news: it goes to the room as it is (a reader who misses it
  // learns it when catching up). Every node's readers hear it through the adapter.
  const stopDeletions = deps.deletions.subscribe(({ slug }) => {
    deps.io.to(threadRoom(slug)).emit(EVENTS.deleted, { slug });
  });
  return () => {
    stopEvents();
    stopDeletions();
  };
}
