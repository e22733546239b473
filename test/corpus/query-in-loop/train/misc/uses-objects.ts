// @ts-nocheck
import * as teams from './objects';
import auditLog from './audit';

export async function slugs(names: string[]) {
  return names.map((name) => teams.teamRepo.slug(name));
}

export async function membersOf(teamIds: string[]) {
  const all = await Promise.all(teamIds.map(teams.loadMembers)); // expect: query-in-loop
  return all.flat();
}

export async function auditEach(actions: string[]) {
  for (const action of actions) {
    await auditLog.record(action); // expect: query-in-loop
  }
}
