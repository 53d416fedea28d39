-- The peer of bench/lists.sh: the red/black list aggregation done by the
-- sqlite3 shell on the same file, under the default rules (data/rules.ini):
-- deductions by severity inside the 12-month window (minor 5, major 10,
-- serious 40), black for a serious failure in the window or a score below
-- 60, red for >= 2 inspections in 3 months with none failing and a score
-- >= 90; the result written to a table, as `lists --recompute` writes
-- stall_status.  It leaves out what SQL says badly (follow-up escalation,
-- a black listing that outlives the window until a clean re-inspection,
-- fair-scale repeats): a lower bound on the work ours does.
-- Parameters: @from12, @from3 (exclusive lower bounds), @to (inclusive).
CREATE TEMP TABLE sev (item TEXT PRIMARY KEY, points INTEGER, black INTEGER);
INSERT INTO sev VALUES ('licence-shown', 5, 0), ('price-tags', 5, 0),
  ('verification-mark', 10, 0), ('verification-due', 40, 1), ('seal', 40, 1),
  ('fair-scale', 5, 0), ('cheating-device', 40, 1), ('reweigh', 40, 1),
  ('fairscale-short', 10, 0);
DROP TABLE IF EXISTS bench_status;
CREATE TABLE bench_status AS
WITH ev AS (
  SELECT stall, id, substr(started_at, 1, 10) AS day FROM inspections
  WHERE status = 'committed' AND substr(started_at, 1, 10) <= @to
),
fails AS (
  SELECT inspection, item FROM findings WHERE answer IN ('fail', 'broken', 'missing')
  UNION
  SELECT inspection, CASE WHEN method = 'fair' THEN 'fairscale-short' ELSE 'reweigh' END
  FROM reweighs WHERE verdict = 'fail'
),
ded AS (
  SELECT e.stall, e.day, s.points, s.black
  FROM ev e JOIN fails x ON x.inspection = e.id JOIN sev s ON s.item = x.item
),
agg AS (
  SELECT stall,
         sum(CASE WHEN day > @from12 THEN points ELSE 0 END) AS pts,
         max(CASE WHEN black AND day > @from12 THEN 1 ELSE 0 END) AS blk,
         max(CASE WHEN day > @from3 THEN 1 ELSE 0 END) AS fail3
  FROM ded GROUP BY stall
),
n3 AS (SELECT stall, count(*) AS n FROM ev WHERE day > @from3 GROUP BY stall)
SELECT st.code AS stall, st.market,
       max(0, 100 - IFNULL(a.pts, 0)) AS score,
       CASE WHEN IFNULL(a.blk, 0) = 1 OR 100 - IFNULL(a.pts, 0) < 60 THEN 'black'
            WHEN IFNULL(a.fail3, 0) = 0 AND IFNULL(n3.n, 0) >= 2
                 AND 100 - IFNULL(a.pts, 0) >= 90 THEN 'red'
            ELSE 'none' END AS list
FROM stalls st LEFT JOIN agg a ON a.stall = st.code LEFT JOIN n3 ON n3.stall = st.code
WHERE st.active = 1;
