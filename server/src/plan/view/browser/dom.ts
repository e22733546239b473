/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** Small DOM helpers for the plan page's script; it runs in the page, never in Node. */

export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null {
  return root.querySelector<T>(selector);
}

export function $$<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T[] {
  return Array.from(root.querySelectorAll<T>(selector));
}

/** The plan node id an element (tree item, flame box, link) stands for. */
export function nodeIdOf(element: Element | null): number | undefined {
  const carrier = element?.closest<HTMLElement | SVGElement>('[data-node]');
  const id = carrier?.dataset.node;
  return id === undefined ? undefined : Number(id);
}
