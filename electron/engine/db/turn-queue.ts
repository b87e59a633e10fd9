/**
 * Writes that arrive in the same turn of the event loop (concurrent requests) are handed on together, in
 * arrival order, in groups of at most `maxGroup`; while a group runs the next ones queue, so the busier the
 * database the larger the groups. What a group shares (a transaction, a commit) is the runner's business.
 */
export class TurnQueue<I> {
  private queue: I[] = [];
  private draining = false;
  /** Groups run and writes in them, and the largest group: how much sharing the load brought. */
  readonly stats = { groups: 0, writes: 0, largest: 0 };

  constructor(
    /** Runs one group; must settle every item itself and not throw. */
    private readonly run: (group: I[]) => Promise<void>,
    private readonly maxGroup: number,
  ) {}

  push(item: I): void {
    this.queue.push(item);
    if (!this.draining) {
      this.draining = true;
      // One turn of the event loop: writes of requests read in the same turn join this group.
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      this.stats.groups += 1;
      this.stats.writes += group.length;
      this.stats.largest = Math.max(this.stats.largest, group.length);
      await this.run(group);
    }
    this.draining = false;
  }
}
