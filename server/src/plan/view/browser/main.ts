import './plan-view.css';
import type { PlanHostMessage, PlanPageState } from '../protocol';
import { copyText, toast } from './copy';
import { $, $$, nodeIdOf } from './dom';
import { connectHost } from './host';
import { setupTabs } from './tabs';
import { PlanTree } from './tree';

/**
 * Wires the server-rendered plan page: tree and icicle graph select together, folds, tabs, copy
 * buttons, and — in a VS Code webview — the apply buttons and the host's messages.
 */
const host = connectHost();
document.documentElement.dataset.host = host.inWebview ? 'webview' : 'standalone';

const state: PlanPageState = host.restore() ?? { collapsed: [] };
const save = () => host.save({ ...state, collapsed: tree?.collapsedIds() ?? [] });

const treeRoot = $('[role="tree"]');
const tree = treeRoot
  ? new PlanTree(treeRoot, {
      onSelect: (id) => select(id, { scrollTree: false }),
      onToggle: save,
    })
  : undefined;

const tabs = setupTabs((id) => {
  state.tab = id;
  save();
});

/** Marks the node selected in the tree and the graph; optionally unfolds, scrolls and focuses it. */
function select(id: number, options: { scrollTree: boolean; focus?: boolean }): void {
  if (!tree) return;
  const item = tree.item(id);
  if (!item) return;
  for (const old of $$('[aria-selected="true"]', tree.root)) old.setAttribute('aria-selected', 'false');
  for (const old of $$('.flame-box.selected')) old.classList.remove('selected');
  item.setAttribute('aria-selected', 'true');
  document.getElementById(`flame-${id}`)?.classList.add('selected');
  if (options.scrollTree) {
    tabs.show('plan');
    tree.reveal(item);
    tree.focus(item, options.focus ?? true);
    item.querySelector('.row')?.scrollIntoView({ block: 'center' });
  }
  state.selected = id;
  save();
}

$('.flame')?.addEventListener('click', (event) => {
  const id = nodeIdOf(event.target as Element);
  if (id !== undefined) select(id, { scrollTree: true });
});

document.addEventListener('click', (event) => {
  const target = event.target as Element;
  const link = target.closest<HTMLElement>('[data-select]');
  if (link) select(Number(link.dataset.select), { scrollTree: true });
  const copy = target.closest<HTMLElement>('[data-copy]');
  if (copy) void copyFrom(copy.dataset.copy ?? '');
  const fold = target.closest<HTMLButtonElement>('[data-fold]');
  if (fold) toggleFold(fold);
  const action = target.closest<HTMLButtonElement>('[data-action]');
  if (action && host.inWebview) {
    const index = Number(action.dataset.index);
    if (action.dataset.action === 'applyFix') host.post({ type: 'applyFix', findingIndex: index });
    else if (action.dataset.action === 'applySuggestion') host.post({ type: 'applySuggestion', index });
    action.setAttribute('aria-busy', 'true');
  }
});

async function copyFrom(id: string): Promise<void> {
  const source = document.getElementById(id);
  if (!source) return;
  toast((await copyText(source.textContent ?? '')) ? 'Copied to the clipboard' : 'Copying is not allowed here; select the text instead');
}

function toggleFold(button: HTMLButtonElement): void {
  const block = document.getElementById(button.getAttribute('aria-controls') ?? '');
  if (!block) return;
  const folded = block.classList.toggle('folded');
  button.setAttribute('aria-expanded', String(!folded));
  button.textContent = folded ? `Show all ${(block.textContent ?? '').split('\n').length} lines` : 'Show less';
}

window.addEventListener('message', (event: MessageEvent<PlanHostMessage>) => {
  const message = event.data;
  if (!message || typeof message !== 'object') return;
  if (message.type === 'selectNode') select(message.nodeId, { scrollTree: true, focus: false });
  if (message.type === 'actionResult') {
    const button = $<HTMLButtonElement>(`[data-action="${message.action}"][data-index="${Number(message.index)}"]`);
    button?.removeAttribute('aria-busy');
    if (button && message.ok) {
      button.disabled = true;
      button.textContent = 'Applied';
    }
    if (message.message) toast(message.message);
  }
});

// Back to how the panel looked before it was hidden.
for (const id of state.collapsed) {
  const item = tree?.item(id);
  if (item?.hasAttribute('aria-expanded')) item.setAttribute('aria-expanded', 'false');
}
if (state.tab) tabs.show(state.tab);
if (state.selected !== undefined) select(state.selected, { scrollTree: false });

document.documentElement.dataset.ready = 'true';
host.post({ type: 'ready' });
