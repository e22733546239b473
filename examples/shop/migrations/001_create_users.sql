-- Customers. Emails are unique; `referred_by` points at the customer who invited them.
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  full_name     text NOT NULL,
  country_code  char(2) NOT NULL DEFAULT 'US',
  plan          text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'plus', 'business')),
  is_verified   boolean NOT NULL DEFAULT false,
  referred_by   bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

CREATE INDEX users_created_at_idx ON users (created_at);
