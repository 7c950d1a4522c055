import { isThreadRoom } from '../../lib/contract/socket';
import type { EventBus } from '../../lib/services';
import type { IoServer } from '../realtime/types';
import type { Metrics } from './metrics';

/**
 * Socket-side metrics: the gauges read the namespace at scrape time; every
 * packet a socket is sent (a broadcast from any node included) is counted by
 * event name; every committed event handed to the fan-out is counted by type.
 */
export function instrumentRealtime(options: { io: IoServer; bus: EventBus; metrics: Metrics }): () => void {
  const { io, bus, metrics } = options;
  const main = io.of('/');
  metrics.watch({
    openSockets: () => main.sockets.size,
    threadSubscriptions: () => {
      let n = 0;
      for (const [room, members] of main.adapter.rooms) if (isThreadRoom(room)) n += members.size;
      return n;
    },
  });
  // One listener for every connection: an idle reader holds no closure for it.
  const countDelivery = (event: string) => metrics.countDelivery(event);
  io.on('connection', (socket) => {
    socket.onAnyOutgoing(countDelivery);
  });
  return bus.subscribe(({ event }) => metrics.eventsPublished.inc({ type: event.type }));
}
