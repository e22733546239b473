import { PrismaClient } from '@prisma/client';

/** Finance reports run on the analytics service, which uses Prisma. */
const prisma = new PrismaClient();

export async function ordersPerCountry(since: Date) {
  return prisma.$queryRaw<{ country_code: string; orders: bigint }[]>`
    SELECT u.country_code, count(*) AS orders
      FROM orders o
      JOIN users u ON u.id = o.user_id
     WHERE o.placed_at >= ${since}
     GROUP BY u.country_code
     ORDER BY orders DESC`;
}

/** Lifetime order counts for the top referrers. */
export async function referrerOrderCounts(limit = 10) {
  const referrers = await prisma.$queryRaw<{ id: bigint; email: string }[]>`
    SELECT r.id, r.email
      FROM users r
      JOIN users u ON u.referred_by = r.id
     GROUP BY r.id, r.email
     ORDER BY count(*) DESC
     LIMIT ${limit}`;
  const counts = [];
  for (const referrer of referrers) {
    const orders = await prisma.order.count({ where: { userId: referrer.id } });
    counts.push({ email: referrer.email, orders });
  }
  return counts;
}
