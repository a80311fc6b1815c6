/**
 * What a process started, to be stopped in the reverse order of starting (the app before the database it
 * uses). A stop that fails is reported and does not keep the others running; stopping twice is harmless.
 */
export class Stops {
  private readonly stops: (() => Promise<unknown>)[] = [];

  add(stop: () => Promise<unknown>): void {
    this.stops.push(stop);
  }

  async stopAll(onError: (error: unknown) => void = (error) => console.error(error)): Promise<void> {
    for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) await stop().catch(onError);
  }
}
