import { Pool } from 'pg';
import postgres from 'postgres';

const connectionString = process.env.DATABASE_URL ?? 'postgres://localhost:5432/shop';

/** node-postgres pool: most of the API uses it. */
export const pool = new Pool({ connectionString, max: 10 });

/** postgres.js, used by the order pipeline for its tagged templates. */
export const sql = postgres(connectionString, { max: 5 });
