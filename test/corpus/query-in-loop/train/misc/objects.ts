// @ts-nocheck
import { sql } from '@vercel/postgres';

export const teamRepo = {
  async byId(id: string) {
    const { rows } = await sql`SELECT * FROM teams WHERE id = ${id}`;
    return rows[0];
  },
  slug(name: string) {
    return name.toLowerCase().replace(/\s+/g, '-');
  },
};

export const loadMembers = async (teamId: string) => {
  const { rows } = await sql`SELECT * FROM members WHERE team_id = ${teamId}`;
  return rows;
};

export async function teamPages(teamIds: string[]) {
  const pages = [];
  for (const teamId of teamIds) {
    const team = await teamRepo.byId(teamId); // expect: query-in-loop
    const members = await loadMembers(teamId); // expect: query-in-loop
    pages.push({ slug: teamRepo.slug(team.name), members });
  }
  return pages;
}
