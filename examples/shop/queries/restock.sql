-- Active products that ran out, for the buying team.
SELECT * FROM products WHERE stock = 0 AND is_active ORDER BY category, name;

-- How many of each were sold, to size the next order.
SELECT i.product_id, sum(i.quantity) AS sold
  FROM order_items i
 WHERE i.product_id IN (SELECT id FROM products WHERE stock = 0 AND is_active)
 GROUP BY i.product_id;
