import { $$, nodeIdOf } from './dom';

/**
 * The plan tree's behaviour, following the WAI-ARIA tree pattern: one item in the tab order (roving
 * tabindex), arrows move between visible items, Right/Left unfold/fold or go to child/parent,
 * Home/End jump, Enter and Space fold or unfold, `*` unfolds the siblings.
 */
export interface TreeCallbacks {
  /** Focus moved to (or the user clicked) this node. */
  onSelect(id: number, item: HTMLElement): void;
  /** Some item was folded or unfolded. */
  onToggle(): void;
}

export class PlanTree {
  constructor(
    readonly root: HTMLElement,
    private readonly callbacks: TreeCallbacks,
  ) {
    root.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('click', (event) => this.onClick(event));
  }

  item(id: number): HTMLElement | null {
    return document.getElementById(`node-${id}`);
  }

  /** Items not inside a folded one, in document (pre-)order. */
  visibleItems(): HTMLElement[] {
    return $$<HTMLElement>('[role="treeitem"]', this.root).filter((item) => !item.parentElement?.closest('[aria-expanded="false"]'));
  }

  setExpanded(item: HTMLElement, expanded: boolean): void {
    if (!item.hasAttribute('aria-expanded') || item.getAttribute('aria-expanded') === String(expanded)) return;
    item.setAttribute('aria-expanded', String(expanded));
    this.callbacks.onToggle();
  }

  /** Unfolds every ancestor so the item can be seen. */
  reveal(item: HTMLElement): void {
    for (let up = item.parentElement?.closest<HTMLElement>('[role="treeitem"]'); up; up = up.parentElement?.closest<HTMLElement>('[role="treeitem"]')) {
      this.setExpanded(up, true);
    }
  }

  /** Moves the tab stop (and, unless told otherwise, the focus) to the item. */
  focus(item: HTMLElement, moveFocus = true): void {
    for (const other of $$('[role="treeitem"][tabindex="0"]', this.root)) if (other !== item) other.tabIndex = -1;
    item.tabIndex = 0;
    if (moveFocus) item.focus({ preventScroll: true });
    item.querySelector('.row')?.scrollIntoView({ block: 'nearest' });
  }

  collapsedIds(): number[] {
    return $$('[aria-expanded="false"]', this.root).map((item) => Number(item.dataset.node));
  }

  private go(item: HTMLElement | undefined): void {
    if (!item) return;
    this.focus(item);
    const id = nodeIdOf(item);
    if (id !== undefined) this.callbacks.onSelect(id, item);
  }

  private onKey(event: KeyboardEvent): void {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
    const visible = this.visibleItems();
    const at = visible.indexOf(current);
    const expanded = current.getAttribute('aria-expanded');
    const parent = current.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined;
    switch (event.key) {
      case 'ArrowDown':
        this.go(visible[at + 1]);
        break;
      case 'ArrowUp':
        this.go(visible[at - 1]);
        break;
      case 'ArrowRight':
        if (expanded === 'false') this.setExpanded(current, true);
        else if (expanded === 'true') this.go(visible[at + 1]);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') this.setExpanded(current, false);
        else this.go(parent);
        break;
      case 'Home':
        this.go(visible[0]);
        break;
      case 'End':
        this.go(visible[visible.length - 1]);
        break;
      case 'Enter':
      case ' ':
        if (expanded !== null) this.setExpanded(current, expanded === 'false');
        this.go(current);
        break;
      case '*':
        for (const sibling of $$<HTMLElement>(':scope > [role="treeitem"]', current.parentElement ?? this.root)) this.setExpanded(sibling, true);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (!item) return;
    if (target.closest('.twisty')) this.setExpanded(item, item.getAttribute('aria-expanded') === 'false');
    // A click inside a row selects that row's item, not the ancestors the click bubbles through.
    if (target.closest('.row')) this.go(item);
  }
}
