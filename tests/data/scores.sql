-- A small district for the score/list/scorecard tests, loaded with the
-- sqlite3 shell into a database stallcheck has created (schema by
-- db_open).  Today is 2026-03-01 (the tests' clock).  Officer 1001's PIN is
-- 1234 (an Argon2id hash made by libsodium's crypto_pwhash_str).
INSERT INTO markets (code, name, updated_at) VALUES
  ('M01', '城东农贸市场', '2026-01-01T00:00:00Z'),
  ('M02', '城西农贸市场', '2026-01-01T00:00:00Z');
INSERT INTO stalls (code, market, name, category, updated_at) VALUES
  ('M01-001', 'M01', '张记蔬菜', 'vegetables', '2026-01-01T00:00:00Z'),
  ('M01-002', 'M01', '李记鲜肉', 'meat', '2026-01-01T00:00:00Z'),
  ('M01-003', 'M01', '王记水产', 'aquatic', '2026-01-01T00:00:00Z'),
  ('M02-001', 'M02', '赵记水果', 'fruit', '2026-01-01T00:00:00Z');
INSERT INTO officers (badge, name, role, pin_hash, updated_at) VALUES
  ('1001', '李明', 'officer',
   '$argon2id$v=19$m=65536,t=2,p=1$DEUdbEyq19ga9HkjC8ITcQ$qDKEMqOxpsjOU2qu4LElJNP9SwUHjxvBxeYgwEnXf9E',
   '2026-01-01T00:00:00Z');
INSERT INTO instruments (code, kind, market, stall, class, due, updated_at) VALUES
  ('SC-1', 'price-computing', 'M01', 'M01-001', 'III', '2026-12-31', '2026-01-01T00:00:00Z'),
  ('SC-2', 'price-computing', 'M01', 'M01-002', 'III', '2026-01-31', '2026-01-01T00:00:00Z'),
  ('FAIR-1', 'fair', 'M01', NULL, 'III', '2026-12-31', '2026-01-01T00:00:00Z');
-- M01-001: clean twice in three months: red.
INSERT INTO inspections (id, stall, market, officer1, started_at, status, updated_at) VALUES
  ('aaaa0001-0000-4000-8000-000000000001', 'M01-001', 'M01', '1001', '2026-01-05T09:00:00Z', 'committed', '2026-01-05T09:30:00Z'),
  ('aaaa0001-0000-4000-8000-000000000002', 'M01-001', 'M01', '1001', '2026-02-10T09:00:00Z', 'committed', '2026-02-10T09:30:00Z'),
-- M01-002: a broken seal and short weight on 2026-02-01: black.
  ('bbbb0002-0000-4000-8000-000000000001', 'M01-002', 'M01', '1001', '2026-02-01T09:00:00Z', 'committed', '2026-02-01T09:30:00Z'),
-- M01-003: price tags missing, then still missing after the deadline.
  ('cccc0003-0000-4000-8000-000000000001', 'M01-003', 'M01', '1001', '2026-01-10T09:00:00Z', 'committed', '2026-01-10T09:30:00Z'),
  ('cccc0003-0000-4000-8000-000000000002', 'M01-003', 'M01', '1001', '2026-01-20T09:00:00Z', 'committed', '2026-01-20T09:30:00Z');
-- Correction deadlines (限期整改) a week after each failure.
INSERT INTO findings (inspection, item, answer, deadline) VALUES
  ('aaaa0001-0000-4000-8000-000000000001', 'price-tags', 'pass', NULL),
  ('aaaa0001-0000-4000-8000-000000000001', 'seal', 'intact', NULL),
  ('aaaa0001-0000-4000-8000-000000000002', 'price-tags', 'pass', NULL),
  ('aaaa0001-0000-4000-8000-000000000002', 'seal', 'intact', NULL),
  ('bbbb0002-0000-4000-8000-000000000001', 'seal', 'broken', '2026-02-08'),
  ('bbbb0002-0000-4000-8000-000000000001', 'price-tags', 'pass', NULL),
  ('cccc0003-0000-4000-8000-000000000001', 'price-tags', 'fail', '2026-01-17'),
  ('cccc0003-0000-4000-8000-000000000002', 'price-tags', 'fail', '2026-01-27');
INSERT INTO reweighs (id, inspection, goods, category, declared_ug, measured_ug, unit_price_fen,
                      allowed_ug, shortfall_ug, money_short_fen, verdict, method) VALUES
  ('dddd0000-0000-4000-8000-000000000001', 'bbbb0002-0000-4000-8000-000000000001', '猪肉',
   'meat-egg-aquatic', 1000000000, 950000000, 3000, 15000000, 50000000, 150, 'fail', 'reference');
