// @ts-nocheck
export * from './customers';
export { default as customerCount } from './customers';
export { pool } from './db';
