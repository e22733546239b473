import type { SandboxProblem } from './apply-migrations';
import type { RowTargets } from './scale';
import type { ForeignKey, TableStructure } from './structure';

/**
 * Which tables get synthetic rows, how many, and in what order: parents before children (a topological
 * order over foreign keys, ties broken by name so runs are repeatable). A parent the workspace did not
 * size but a NOT NULL foreign key needs gets DEFAULT_PARENT_ROWS. Cycles (self-references such as
 * `manager_id`, or tables pointing at each other) are broken at nullable foreign keys, which are filled
 * in a second pass once every table has rows.
 */
export const DEFAULT_PARENT_ROWS = 1000;

export interface FillStep {
  table: TableStructure;
  /** Rows to add: the declared total minus rows the migrations already inserted. */
  rows: number;
  /** Declared in .pglens.json, or added because a child needs parent rows. */
  reason: 'declared' | 'parent';
  /** Foreign keys left NULL on insert and filled afterwards (they close a cycle). */
  deferred: ForeignKey[];
}

export interface FillPlan {
  steps: FillStep[];
  problems: SandboxProblem[];
}

export function planFill(tables: TableStructure[], targets: RowTargets): FillPlan {
  const problems: SandboxProblem[] = [];
  const byId = new Map(tables.map((t) => [t.id, t]));
  const wanted = new Map<string, { rows: number; reason: FillStep['reason'] }>();

  for (const [name, rows] of Object.entries(targets)) {
    const table = findTable(tables, name);
    if (!table) {
      problems.push({ phase: 'config', file: '.pglens.json', message: `"rows.${name}" names no table the migrations created; check the table name.` });
      continue;
    }
    wanted.set(table.id, { rows: Math.max(0, rows - table.existingRows), reason: 'declared' });
  }

  // Parents that NOT NULL foreign keys need, transitively.
  const queue = [...wanted.keys()];
  while (queue.length > 0) {
    const table = byId.get(queue.shift() as string) as TableStructure;
    if ((wanted.get(table.id)?.rows ?? 0) === 0) continue;
    for (const fk of table.foreignKeys) {
      const parent = byId.get(fk.parent);
      if (!parent || parent.id === table.id || wanted.has(parent.id) || parent.existingRows > 0 || !isRequired(table, fk)) continue;
      wanted.set(parent.id, { rows: DEFAULT_PARENT_ROWS, reason: 'parent' });
      queue.push(parent.id);
    }
  }

  const members = [...wanted.keys()].filter((id) => (wanted.get(id)?.rows ?? 0) > 0).sort();
  const component = stronglyConnected(members, (id) => parentsIn(byId.get(id) as TableStructure, wanted));
  const deferred = new Map<string, ForeignKey[]>();
  const dependsOn = new Map<string, Set<string>>();
  for (const id of members) {
    const table = byId.get(id) as TableStructure;
    const parents = new Set<string>();
    for (const fk of table.foreignKeys) {
      if (!wanted.has(fk.parent) || (wanted.get(fk.parent)?.rows ?? 0) === 0) continue;
      const closesCycle = component.get(fk.parent) === component.get(id);
      if (closesCycle && !isRequired(table, fk)) deferred.set(id, [...(deferred.get(id) ?? []), fk]);
      else if (fk.parent !== id) parents.add(fk.parent);
      else parents.add(id); // a NOT NULL self-reference: cannot be ordered
    }
    dependsOn.set(id, parents);
  }

  const steps: FillStep[] = [];
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const id of members) {
      if (done.has(id) || [...(dependsOn.get(id) ?? [])].some((p) => !done.has(p))) continue;
      const want = wanted.get(id) as { rows: number; reason: FillStep['reason'] };
      steps.push({ table: byId.get(id) as TableStructure, rows: want.rows, reason: want.reason, deferred: deferred.get(id) ?? [] });
      done.add(id);
      progress = true;
    }
  }
  for (const id of members.filter((m) => !done.has(m))) {
    problems.push({
      phase: 'data',
      message: `No synthetic rows for ${id}: its NOT NULL foreign keys form a cycle; make one of them nullable or DEFERRABLE, or seed the table in a migration.`,
    });
  }
  return { steps, problems };
}

/** `orders`, `public.orders` or `"Orders"`: public first, then any schema with a table of that name. */
export function findTable(tables: TableStructure[], name: string): TableStructure | undefined {
  const parts = name.split('.').map((part) => (/^".*"$/.test(part) ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase()));
  if (parts.length === 2) return tables.find((t) => t.schema === parts[0] && t.name === parts[1]);
  return tables.find((t) => t.schema === 'public' && t.name === parts[0]) ?? tables.find((t) => t.name === parts[0]);
}

/** A foreign key whose columns cannot be NULL needs a parent row for every child row. */
export function isRequired(table: TableStructure, fk: ForeignKey): boolean {
  return fk.columns.some((name) => table.columns.find((c) => c.name === name)?.notNull);
}

function parentsIn(table: TableStructure, wanted: Map<string, unknown>): string[] {
  return table.foreignKeys.map((fk) => fk.parent).filter((p) => wanted.has(p));
}

/** Tarjan's algorithm: each node → the id of its strongly connected component. */
function stronglyConnected(nodes: string[], edges: (node: string) => string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.set(member, components);
      } while (member !== node);
      components++;
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return component;
}
