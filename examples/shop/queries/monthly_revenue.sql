-- Revenue per month over the last year, paid and later states only (twelve rows at most). It reads
-- most of orders, where a sequential scan is the right plan.
-- pglens-ignore missing-limit, seq-scan
SELECT date_trunc('month', o.placed_at) AS month,
       count(*)                         AS orders,
       sum(o.total_cents) / 100.0       AS revenue
  FROM orders o
 WHERE o.status IN ('paid', 'shipped', 'delivered')
   AND o.placed_at >= now() - interval '12 months'
 GROUP BY 1
 ORDER BY 1;
