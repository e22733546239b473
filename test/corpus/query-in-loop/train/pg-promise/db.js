import pgPromise from 'pg-promise';

const pgp = pgPromise();

export const db = pgp(process.env.DATABASE_URL);

export async function settingsFor(userIds) {
  const settings = [];
  for (const userId of userIds) {
    settings.push(await db.oneOrNone('SELECT * FROM settings WHERE user_id = $1', [userId])); // expect: query-in-loop
  }
  return settings;
}

export async function resetAll(userIds) {
  await db.tx(async (t) => {
    for (const userId of userIds) {
      await t.none('UPDATE settings SET theme = $2 WHERE user_id = $1', [userId, 'light']); // expect: query-in-loop
    }
  });
}

export async function settingsBatched(userIds) {
  return db.any('SELECT * FROM settings WHERE user_id IN ($1:csv)', [userIds]);
}
