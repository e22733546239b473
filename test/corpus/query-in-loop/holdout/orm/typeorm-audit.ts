// @ts-nocheck
import { DataSource, In, Repository } from 'typeorm';
import { AuditEntry, User } from './entities';

export class AuditService {
  private readonly entries: Repository<AuditEntry>;

  constructor(private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(AuditEntry);
  }

  async usersFor(entryIds: number[]) {
    const entries = await this.entries.findBy({ id: In(entryIds) });
    const users = [];
    for (const entry of entries) {
      users.push(await this.dataSource.getRepository(User).findOneBy({ id: entry.userId })); // expect: query-in-loop
    }
    return users;
  }

  async usersForBatched(entryIds: number[]) {
    const entries = await this.entries.find({ where: { id: In(entryIds) }, relations: { user: true } });
    return entries.map((entry) => entry.user);
  }

  async purge(ids: number[]) {
    await this.dataSource.transaction(async (manager) => {
      for (const id of ids) {
        await manager.delete(AuditEntry, { id }); // expect: query-in-loop
      }
    });
  }
}
