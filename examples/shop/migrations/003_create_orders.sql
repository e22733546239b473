CREATE TABLE orders (
  id               bigserial PRIMARY KEY,
  public_id        uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  user_id          bigint NOT NULL REFERENCES users (id),
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
  total_cents      integer NOT NULL CHECK (total_cents >= 0),
  currency         char(3) NOT NULL DEFAULT 'USD',
  shipping_address jsonb,
  placed_at        timestamptz NOT NULL DEFAULT now(),
  shipped_at       timestamptz
);
