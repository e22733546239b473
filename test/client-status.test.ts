import { describe, expect, it } from 'vitest';
import { presentStatus } from '../client/src/status/status-presentation';

describe('status bar presentation', () => {
  it('shows where plans come from when connected', () => {
    const view = presentStatus('running', { state: 'connected', label: 'shop@localhost', detail: 'PostgreSQL 15.20' });
    expect(view).toMatchObject({ text: '$(database) shop@localhost', warning: false });
    expect(view.tooltip).toContain('PostgreSQL 15.20');
  });

  it('shows the sandbox', () => {
    expect(presentStatus('running', { state: 'embedded', label: 'sandbox' }).text).toBe('$(beaker) sandbox');
  });

  it('warns when disconnected, with the reason in the tooltip', () => {
    const view = presentStatus('running', { state: 'failed', label: 'disconnected', detail: 'Connection refused on localhost:5432; is PostgreSQL running?' });
    expect(view).toMatchObject({ text: '$(warning) disconnected', warning: true });
    expect(view.tooltip).toContain('Connection refused on localhost:5432');
  });

  it('spins while starting or connecting', () => {
    expect(presentStatus('starting', undefined).text).toContain('$(sync~spin)');
    expect(presentStatus('running', { state: 'connecting', label: 'shop@localhost' }).text).toBe('$(sync~spin) shop@localhost');
  });

  it('says the server stopped, whatever the last database status was', () => {
    const view = presentStatus('stopped', { state: 'connected', label: 'shop@localhost' });
    expect(view).toMatchObject({ text: '$(error) pglens: stopped', warning: true });
    expect(view.tooltip).toMatch(/restart/i);
  });

  it('shows plain pglens before the server reports a database', () => {
    expect(presentStatus('running', undefined)).toMatchObject({ text: '$(database) pglens', warning: false });
  });
});
