const axios = require('axios');

async function syncUsers(db, users) {
  for (const user of users) {
    await db.query('UPDATE users SET synced_at = now() WHERE id = $1', [user.id]); // expect: query-in-loop
  }
}

async function fetchProfiles(client, ids) {
  const profiles = [];
  for (const id of ids) {
    profiles.push(await client.get(`/profiles/${id}`));
  }
  return profiles;
}

async function fetchAll(urls) {
  return Promise.all(urls.map((url) => axios.get(url)));
}

async function warmCache(cache, keys) {
  for (const key of keys) {
    await cache.get(key);
  }
}

async function loadNode(db, id) {
  const { rows } = await db.query('SELECT id, parent_id FROM nodes WHERE id = $1', [id]);
  return rows[0];
}

async function loadTree(db, id) {
  const node = await loadNode(db, id);
  const { rows: children } = await db.query('SELECT id FROM nodes WHERE parent_id = $1', [id]);
  node.children = [];
  for (const child of children) {
    node.children.push(await loadTree(db, child.id)); // expect: query-in-loop
  }
  return node;
}

module.exports = { syncUsers, fetchProfiles, fetchAll, warmCache, loadTree };
