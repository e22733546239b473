// @ts-nocheck
import { Pool } from 'pg';

class AuditLog {
  private readonly pool = new Pool();

  async record(action: string) {
    await this.pool.query('INSERT INTO audit (action) VALUES ($1)', [action]);
  }
}

export default new AuditLog();
