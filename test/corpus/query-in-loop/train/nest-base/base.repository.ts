// @ts-nocheck
import type { Knex } from 'knex';

export abstract class BaseRepository<T> {
  protected abstract readonly table: string;

  constructor(protected readonly knex: Knex) {}

  findById(id: number): Promise<T | undefined> {
    return this.knex(this.table).where({ id }).first();
  }

  findByIds(ids: number[]): Promise<T[]> {
    return this.knex(this.table).whereIn('id', ids);
  }
}
