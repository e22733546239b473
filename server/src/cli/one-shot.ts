/**
 * The CLI connects once and exits: where a message about the database promises that pglens will
 * reconnect or retry (true of the language server), the CLI says only what happened.
 */
export function oneShot(message: string): string {
  return message.replace(/; pglens will (?:reconnect|retry)(?: when it (?:is back|answers))?\./g, '.');
}
