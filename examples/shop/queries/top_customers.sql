-- The hundred customers who spent the most. A report over every order: scanning is the right plan.
-- pglens-ignore seq-scan
SELECT u.id, u.email, u.full_name, sum(o.total_cents) AS spent_cents
  FROM users u
  JOIN orders o ON o.user_id = u.id
 WHERE o.status <> 'cancelled'
 GROUP BY u.id, u.email, u.full_name
 ORDER BY spent_cents DESC
 LIMIT 100;
