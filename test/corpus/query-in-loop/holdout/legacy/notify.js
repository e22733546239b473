const users = require('./users');
const { loadUser, displayName } = require('./users');

async function notifyAll(userIds, send) {
  for (const id of userIds) {
    const user = await loadUser(id); // expect: query-in-loop
    await send(user.email, `Hello ${displayName(user)}`);
  }
}

async function greetings(userIds) {
  const loaded = await Promise.all(userIds.map(users.loadUser)); // expect: query-in-loop
  return loaded.map((user) => `Hello ${users.displayName(user)}`);
}

async function markSeen(userIds) {
  await users.pool.query('UPDATE users SET seen_at = now() WHERE id = ANY($1)', [userIds]);
}

module.exports = { notifyAll, greetings, markSeen };
