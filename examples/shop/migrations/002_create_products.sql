CREATE TYPE product_category AS ENUM ('books', 'electronics', 'home', 'garden', 'toys', 'clothing', 'grocery');

CREATE TABLE products (
  id          serial PRIMARY KEY,
  sku         varchar(32) NOT NULL UNIQUE,
  name        text NOT NULL,
  description text,
  category    product_category NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  stock       integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
  tags        text[] NOT NULL DEFAULT '{}',
  attributes  jsonb NOT NULL DEFAULT '{}',
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_category_idx ON products (category);
