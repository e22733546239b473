/** The schema the rule tests run against, read through the real workspace catalog builder. */
export const SHOP_SCHEMA = `
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  "displayName" text,
  "order" int,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users,
  total numeric(10,2),
  status text
);
CREATE TABLE order_items (order_id bigint, line int, sku text, PRIMARY KEY (order_id, line));
CREATE TABLE accounts (tenant_id int NOT NULL, slug text NOT NULL, name text);
CREATE UNIQUE INDEX accounts_tenant_slug ON accounts (tenant_id, slug);
CREATE TABLE sessions (token text NOT NULL, user_id bigint);
CREATE UNIQUE INDEX sessions_lower_token ON sessions (lower(token));
CREATE UNIQUE INDEX orders_one_open ON orders (user_id) WHERE status = 'open';
CREATE VIEW active_users AS SELECT id, email FROM users WHERE created_at > now() - interval '30 days';
`;
