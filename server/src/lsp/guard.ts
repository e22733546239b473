import type { Logger } from './log';

/**
 * Wraps a handler so that whatever it throws (synchronously or as a rejected promise) is logged and
 * answered with `fallback`: one failing request never takes the server down or leaves the client waiting.
 */
export function guarded<P extends unknown[], R>(
  log: Logger,
  name: string,
  fallback: R,
  handler: (...args: P) => R | Promise<R>,
): (...args: P) => Promise<R> {
  return async (...args: P) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`pglens: ${name} failed`, error);
      return fallback;
    }
  };
}

/** Last line of defence: errors that escaped every handler are logged, and the server keeps running. */
export function installProcessGuards(log: Logger): void {
  process.on('unhandledRejection', (reason) => log.error('pglens: unhandled promise rejection', reason));
  process.on('uncaughtException', (error) => log.error('pglens: uncaught exception', error));
}
