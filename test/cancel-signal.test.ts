import { describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { CancelController } from '../server/src/cancel-signal';
import { cancelSignalOf } from '../server/src/lsp/cancellation';

describe('CancelController', () => {
  it('tells each listener once, and none that was removed or came after the abort', () => {
    const controller = new CancelController();
    const heard: string[] = [];
    const a = () => heard.push('a');
    const b = () => heard.push('b');
    controller.signal.addEventListener('abort', a, { once: true });
    controller.signal.addEventListener('abort', b);
    controller.signal.removeEventListener('abort', b);
    expect(controller.signal.aborted).toBe(false);
    controller.abort();
    controller.abort();
    controller.signal.addEventListener('abort', () => heard.push('late'));
    expect(controller.signal.aborted).toBe(true);
    expect(heard).toEqual(['a']);
  });
});

describe('cancelSignalOf (an LSP token as a CancelSignal)', () => {
  it('follows the token: listeners hear its cancellation once, removed ones do not', () => {
    const source = new CancellationTokenSource();
    const signal = cancelSignalOf(source.token);
    const heard: string[] = [];
    const kept = () => heard.push('kept');
    const removed = () => heard.push('removed');
    signal.addEventListener('abort', kept);
    signal.addEventListener('abort', removed);
    signal.removeEventListener('abort', removed);
    expect(signal.aborted).toBe(false);
    source.cancel();
    source.cancel();
    expect(signal.aborted).toBe(true);
    expect(heard).toEqual(['kept']);
  });
});
