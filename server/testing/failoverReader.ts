import type { SocketPool, ClientSocket } from './sockets';
import { ThreadReader } from './threadReader';

/**
 * A reader that knows every node's URL, as a client behind a load balancer
 * does: when its connection drops (its node died or is stopping), it connects
 * to another node and resumes from the last seq it applied.
 */
export class FailoverReader {
  reader!: ThreadReader;
  /** The client-side reasons its connections ended with. */
  readonly disconnects: string[] = [];
  /** Settles once the latest move is done. */
  moving: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly pool: SocketPool,
    readonly urls: string[],
    readonly slug: string,
  ) {}

  async start(options: { node: number; afterSeq: number }): Promise<void> {
    const url = this.urls[options.node]!;
    const socket = await this.pool.connect(url);
    this.reader = new ThreadReader(socket, url, this.slug);
    this.watch(socket, options.node);
    await this.reader.start(options.afterSeq);
  }

  stop(): void {
    this.closed = true;
    this.reader.stop();
  }

  private watch(socket: ClientSocket, node: number): void {
    socket.once('disconnect', (reason) => {
      if (this.closed || reason === 'io client disconnect') return;
      this.disconnects.push(reason);
      this.moving = this.moveFrom(node);
    });
  }

  /** Tries the other nodes in turn, backing off a little, as socket.io-client's own reconnection does. */
  private async moveFrom(node: number): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 40 && !this.closed; attempt++) {
      const next = (node + 1 + attempt) % this.urls.length;
      const url = this.urls[next]!;
      try {
        const socket = await this.pool.connect(url);
        this.watch(socket, next);
        await this.reader.resume(socket, url);
        return;
      } catch (err) {
        lastError = err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)));
      }
    }
    if (!this.closed) this.reader.errors.push(new Error(`could not move to another node: ${String(lastError)}`));
  }
}
