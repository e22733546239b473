import { $$ } from './dom';

/** Tabs per the WAI-ARIA pattern: click or Left/Right/Home/End to switch, one tab in the tab order. */
export function setupTabs(onChange: (id: string) => void): { show(id: string): void } {
  const tabs = $$<HTMLButtonElement>('[role="tab"]');
  const show = (id: string, focus = false) => {
    for (const tab of tabs) {
      const selected = tab.id === `tab-${id}`;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
      if (selected && focus) tab.focus();
    }
    onChange(id);
  };
  const idOf = (tab: Element) => tab.id.replace(/^tab-/, '');
  for (const [i, tab] of tabs.entries()) {
    tab.addEventListener('click', () => show(idOf(tab)));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      show(idOf(tabs[(next + tabs.length) % tabs.length]), true);
    });
  }
  return { show: (id) => show(id) };
}
