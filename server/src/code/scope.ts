import type { SymValue } from './values';

/** Lexical scopes of the per-file pass: what each name stands for at a point of the code. */
export class Scope {
  private readonly names = new Map<string, SymValue>();

  constructor(readonly parent?: Scope) {}

  lookup(name: string): SymValue | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const value = scope.names.get(name);
      if (value) return value;
    }
    return undefined;
  }

  declare(name: string, value: SymValue): void {
    this.names.set(name, value);
  }

  declaresOwn(name: string): boolean {
    return this.names.has(name);
  }

  /** The scope that declares `name`, for reassignments. */
  ownerOf(name: string): Scope | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) if (scope.names.has(name)) return scope;
    return undefined;
  }
}
