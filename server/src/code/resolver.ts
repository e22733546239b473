import type { Range } from '../finding';
import { classifyChain, isMemberName, type Classified, type Consumption, type ImportValue } from './evaluate';
import { rangeAt } from './positions';
import { looksLikeSql } from './sql-text';
import type { CallShape, CallSite, ExpressionUse, FileSummary } from './summary';
import type { Lib, SymValue } from './values';

/**
 * Answers, across the workspace, whether a call reaches the database and through which functions.
 * Function results are memoised per file and dropped for the files a change can affect.
 */
export interface QueryReach {
  /** Where the database call is. */
  file: string;
  range: Range;
  lib: Lib;
  shape: CallShape;
  /** Functions the call goes through to get there, outermost first. */
  via: ViaStep[];
}

export interface ViaStep {
  file: string;
  name: string;
  range: Range;
  params: string[];
  /** Arguments at the call into this function. */
  args?: ExpressionUse[];
}

export interface SummarySource {
  summary(file: string): FileSummary | undefined;
  /** The workspace file a relative specifier imported from `fromFile` names. */
  resolve(fromFile: string, specifier: string): string | undefined;
}

const MAX_IMPORT_HOPS = 16;

export class Resolver {
  private readonly memo = new Map<string, Map<string, QueryReach | null>>();
  private readonly inProgress = new Set<string>();
  private sawCycle = false;

  constructor(
    private readonly source: SummarySource,
    private extraMethods: ReadonlySet<string>,
  ) {}

  setExtraMethods(names: ReadonlySet<string>): void {
    this.extraMethods = names;
    this.memo.clear();
  }

  /** Forgets what was computed for these files. */
  invalidate(files: Iterable<string>): void {
    for (const file of files) this.memo.delete(file);
  }

  /** The database call a site in `file` reaches, if it reaches one. */
  reachOfSite(file: string, site: CallSite): QueryReach | undefined {
    const { event } = site;
    switch (event.e) {
      case 'db':
        return { file, range: this.rangeIn(file, site), lib: event.lib, shape: event.shape, via: [] };
      case 'name':
        return this.extraMethods.has(event.name) ? { file, range: this.rangeIn(file, site), lib: 'generic', shape: event.shape, via: [] } : undefined;
      case 'call':
        return this.through(file, event.id, event.shape.args);
      case 'import': {
        const outcome = this.evaluateImport(file, event.value, event.consumed, 0);
        if (!outcome) return undefined;
        if (outcome.kind === 'query') {
          if (outcome.needsSql && !(event.shape.sql && looksLikeSql(event.shape.sql))) return undefined;
          return { file, range: this.rangeIn(file, site), lib: outcome.lib, shape: event.shape, via: [] };
        }
        if (outcome.kind === 'call') return this.through(outcome.file, outcome.id, event.shape.args);
        if (outcome.kind === 'name' && this.extraMethods.has(outcome.name)) return { file, range: this.rangeIn(file, site), lib: 'generic', shape: event.shape, via: [] };
        return undefined;
      }
    }
  }

  /** The database call a function reaches (directly or through other functions), memoised. */
  reachOfUnit(file: string, id: string): QueryReach | undefined {
    let fileMemo = this.memo.get(file);
    const cached = fileMemo?.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const key = `${file}\u0000${id}`;
    if (this.inProgress.has(key)) {
      this.sawCycle = true;
      return undefined;
    }
    const unit = this.source.summary(file)?.units.get(id);
    if (!unit) return undefined;
    const outerCycle = this.sawCycle;
    this.sawCycle = false;
    this.inProgress.add(key);
    let reach: QueryReach | undefined;
    try {
      for (const site of unit.sites) {
        reach = this.reachOfSite(file, site);
        if (reach) break;
      }
      const extra = reach ? undefined : unit.names.find((name) => this.extraMethods.has(name));
      if (extra) reach = { file, range: this.rangeIn(file, unit), lib: 'generic', shape: { callee: extra, method: extra }, via: [] };
    } finally {
      this.inProgress.delete(key);
    }
    // A "no" reached while an enclosing function was still open may change once it closes: keep only sure answers.
    if (reach || !this.sawCycle) {
      if (!fileMemo) this.memo.set(file, (fileMemo = new Map()));
      fileMemo.set(id, reach ?? null);
    }
    this.sawCycle = outerCycle || this.sawCycle;
    return reach;
  }

  private through(file: string, id: string, args: ExpressionUse[] | undefined): QueryReach | undefined {
    const reach = this.reachOfUnit(file, id);
    if (!reach) return undefined;
    const unit = this.source.summary(file)?.units.get(id);
    if (!unit) return undefined;
    return { ...reach, via: [{ file, name: unit.name, range: this.rangeIn(file, unit), params: unit.params, args }, ...reach.via] };
  }

  private rangeIn(file: string, span: { start: number; end: number }): Range {
    const lineStarts = this.source.summary(file)?.lineStarts;
    return lineStarts ? rangeAt(lineStarts, span.start, span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }

  /** Follows an imported value and its chain into the exporting file (and on, through re-exports). */
  private evaluateImport(fromFile: string, value: ImportValue, consumed: Consumption, hops: number): (Classified & { file: string }) | undefined {
    if (hops > MAX_IMPORT_HOPS) return undefined;
    const target = this.source.resolve(fromFile, value.module);
    if (!target) return this.unresolved(fromFile, value, consumed);
    let chain = value.chain;
    let found: { file: string; value: SymValue } | undefined;
    if (value.name === '*') {
      const first = chain[0];
      found = first !== undefined && isMemberName(first) ? this.exportOf(target, first, 0) : undefined;
      if (found) chain = chain.slice(1);
      else found = this.exportOf(target, 'module.exports', 0);
    } else {
      found = this.exportOf(target, value.name, 0) ?? (value.name === 'default' ? this.exportOf(target, 'module.exports', 0) : undefined);
    }
    if (!found) return undefined;
    const summary = this.source.summary(found.file);
    if (!summary) return undefined;
    const outcome = classifyChain(summary, found.value, chain, { consumed });
    if (outcome.kind === 'import') return this.evaluateImport(found.file, outcome.value, consumed, hops + 1);
    return { ...outcome, file: found.file };
  }

  /** A relative import of a file outside the index: read the imported name as a handle name (`db`). */
  private unresolved(fromFile: string, value: ImportValue, consumed: Consumption): (Classified & { file: string }) | undefined {
    const summary = this.source.summary(fromFile);
    if (!summary) return undefined;
    const name = value.name === '*' || value.name === 'default' ? (value.module.split('/').pop() ?? value.module) : value.name;
    const outcome = classifyChain(summary, { t: 'named', name }, value.chain, { consumed });
    return outcome.kind === 'import' ? undefined : { ...outcome, file: fromFile };
  }

  /** An export by name, through `export * from` re-exports. */
  private exportOf(file: string, name: string, depth: number): { file: string; value: SymValue } | undefined {
    const summary = this.source.summary(file);
    if (!summary || depth > MAX_IMPORT_HOPS) return undefined;
    const value = summary.exports.get(name);
    if (value) return { file, value };
    if (name === 'default') return undefined;
    for (const specifier of summary.starExports) {
      const target = this.source.resolve(file, specifier);
      const found = target && this.exportOf(target, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}
