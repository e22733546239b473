/**
 * Resolves on the event loop's next turn, after this turn's microtasks: by then a query issued in this
 * turn has been written to its socket, so work deferred to here overlaps its round trip.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
