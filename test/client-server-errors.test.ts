import { describe, expect, it } from 'vitest';
import { describeServerError, UnsupportedByServer } from '../client/src/server-errors';

describe('messages for failed server requests', () => {
  it('says the server cannot do it yet for a command it does not advertise', () => {
    expect(describeServerError(new UnsupportedByServer('pglens.server.explain'), 'explain the query')).toMatch(
      /cannot explain the query yet/,
    );
  });

  it('treats JSON-RPC MethodNotFound and the server’s "unknown command" the same way', () => {
    expect(describeServerError({ code: -32601, message: 'Unhandled method pglens/plan' }, 'show the plan')).toMatch(/cannot show the plan yet/);
    expect(describeServerError(new Error('pglens: unknown command pglens.server.explain'), 'explain the query')).toMatch(/cannot explain the query yet/);
  });

  it('says nothing when the user cancelled', () => {
    expect(describeServerError({ code: -32800, message: 'Request cancelled' }, 'suggest indexes')).toBeUndefined();
  });

  it('points to Restart Server when the server is not running', () => {
    expect(describeServerError(new Error('Client is not running and can’t be stopped.'), 'explain the query')).toMatch(/Restart Server/);
  });

  it('passes other failures through with what was being done', () => {
    expect(describeServerError(new Error('statement timeout'), 'explain the query')).toBe('pglens could not explain the query: statement timeout');
  });
});
