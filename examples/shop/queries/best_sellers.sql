-- Units sold per product in the last 30 days.
SELECT p.sku, p.name, sum(i.quantity) AS units
  FROM order_items i
  JOIN orders o   ON o.id = i.order_id
  JOIN products p ON p.id = i.product_id
 WHERE o.placed_at >= now() - interval '30 days'
 GROUP BY p.sku, p.name
 ORDER BY units DESC
 LIMIT 25;
