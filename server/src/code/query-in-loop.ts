import { basename } from 'node:path';
import type { Finding, RelatedLocation, Severity } from '../finding';
import { batchedRewrite, isWrite } from './batched-rewrite';
import { rangeAt } from './positions';
import type { QueryReach } from './resolver';
import type { LoopInfo, LoopSite } from './summary';

/**
 * `query-in-loop`: a database query issued once per iteration of a loop (N+1), directly or through the
 * functions the loop calls, in this file or another. Reported on the call inside the loop, with the
 * loop and (for indirect calls) the query reached as related locations, and the batched form in
 * `data.batched` for the hover.
 */
export const queryInLoop = {
  code: 'query-in-loop',
  severity: 'warning' as Severity,
  docs: { summary: 'A database query issued once per loop iteration (N+1), directly or through the functions the loop calls.' },
};

export function queryInLoopFinding(file: string, lineStarts: Uint32Array, site: LoopSite, reach: QueryReach, severity: Severity): Finding {
  const loop = loopLabel(site.loop);
  const indirect = reach.via.length > 0;
  const callee = site.event.shape.callee;
  const advice = isWrite(reach.shape)
    ? 'Write all items with one statement instead of one per item.'
    : indirect
      ? 'Load the data for all items with one query before the loop and look it up by key.'
      : 'Fetch the rows for all items with one query before the loop and look them up by key.';
  const message = indirect
    ? `\`${callee}\` queries the database (\`${reach.shape.callee}\` in ${basename(reach.file)}) once per iteration of this ${loop} (N+1 queries). ${advice}`
    : `\`${callee}\` runs a query once per iteration of this ${loop} (N+1 queries). ${advice}`;

  const related: RelatedLocation[] = [{ file, range: rangeAt(lineStarts, site.loop.start, site.loop.end), message: `The ${loop} that repeats the query.` }];
  if (indirect) related.push({ file: reach.file, range: reach.range, message: `The query \`${callee}\` reaches: \`${reach.shape.callee}\`.` });

  const { varying, keyAtLoop } = varyingAtQuery(site, reach);
  const batched = batchedRewrite({
    lib: reach.lib,
    shape: reach.shape,
    varying,
    collection: site.loop.collection,
    itemNames: site.loop.itemNames,
    through: indirect ? { name: reach.via[0].name, keyAtLoop } : undefined,
  });

  return {
    file,
    range: rangeAt(lineStarts, site.start, site.end),
    severity,
    code: queryInLoop.code,
    message,
    related,
    data: {
      batched,
      loop: { kind: site.loop.kind, method: site.loop.method, collection: site.loop.collection },
      query: { file: reach.file, range: reach.range, callee: reach.shape.callee, library: reach.lib, sql: reach.shape.sql },
      via: reach.via.map((step) => step.name),
    },
  };
}

/**
 * Names that change per iteration as the query sees them: the loop's own names for a direct call;
 * through functions, the parameters the loop's values flow into, step by step.
 */
function varyingAtQuery(site: LoopSite, reach: QueryReach): { varying: Set<string>; keyAtLoop?: string } {
  let varying = new Set(site.loop.varying);
  let keyAtLoop: string | undefined;
  reach.via.forEach((step, depth) => {
    const next = new Set<string>();
    step.params.forEach((param, index) => {
      const arg = step.args?.[index];
      if (!arg || !(arg.text.startsWith('each element') || arg.idents.some((name) => varying.has(name)))) return;
      next.add(param);
      if (depth === 0) keyAtLoop ??= arg.text;
    });
    varying = next;
  });
  return { varying, keyAtLoop };
}

function loopLabel(loop: LoopInfo): string {
  switch (loop.kind) {
    case 'for':
      return '`for` loop';
    case 'for-of':
      return '`for…of` loop';
    case 'for-await-of':
      return '`for await…of` loop';
    case 'for-in':
      return '`for…in` loop';
    case 'while':
      return '`while` loop';
    case 'do-while':
      return '`do…while` loop';
    case 'callback':
      return `\`.${loop.method ?? 'map'}()\` callback`;
  }
}
