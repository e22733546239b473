const { Pool } = require('pg');

const pool = new Pool();

async function loadUser(id) {
  const result = await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);
  return result.rows[0];
}

function displayName(user) {
  return user.email.split('@')[0];
}

module.exports = { loadUser, displayName, pool };
