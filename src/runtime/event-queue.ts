// An unbounded queue read as an async iterable: the library API's printf and map streams. The run
// pushes as records arrive; the embedding program pulls at its own pace. Items wait in memory until
// read, so a stream nobody reads grows with the run — each stream is there to be consumed.
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private iterated = false;

  push(item: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** No more items: a reader gets what is queued, then the end. */
  end(): void {
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  /** One reader: a second one would silently take items from the first. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error('this event stream is already being read');
    this.iterated = true;
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}
