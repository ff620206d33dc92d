-- Document types (Nghị định 30/2020, Phụ lục III) and the abbreviations notations are built from:
-- data an installation's administrators can extend, rename or retire, preloaded with the decree's list.
CREATE TABLE document_types (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Null for the types written without one (Công văn, Thư công).
  abbreviation text CHECK (abbreviation ~ '^[[:alnum:]]{1,10}$'),
  position int NOT NULL,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX document_types_name ON document_types (lower(name));
CREATE UNIQUE INDEX document_types_abbreviation ON document_types (abbreviation) WHERE abbreviation IS NOT NULL;

INSERT INTO document_types (name, abbreviation, position) VALUES
  ('Nghị quyết', 'NQ', 1),
  ('Quyết định', 'QĐ', 2),
  ('Chỉ thị', 'CT', 3),
  ('Quy chế', 'QC', 4),
  ('Quy định', 'QyĐ', 5),
  ('Thông cáo', 'TC', 6),
  ('Thông báo', 'TB', 7),
  ('Hướng dẫn', 'HD', 8),
  ('Chương trình', 'CTr', 9),
  ('Kế hoạch', 'KH', 10),
  ('Phương án', 'PA', 11),
  ('Đề án', 'ĐA', 12),
  ('Dự án', 'DA', 13),
  ('Báo cáo', 'BC', 14),
  ('Biên bản', 'BB', 15),
  ('Tờ trình', 'TTr', 16),
  ('Hợp đồng', 'HĐ', 17),
  ('Công văn', NULL, 18),
  ('Công điện', 'CĐ', 19),
  ('Bản ghi nhớ', 'GN', 20),
  ('Bản thỏa thuận', 'TTh', 21),
  ('Giấy ủy quyền', 'GUQ', 22),
  ('Giấy mời', 'GM', 23),
  ('Giấy giới thiệu', 'GGT', 24),
  ('Giấy nghỉ phép', 'NP', 25),
  ('Phiếu gửi', 'PG', 26),
  ('Phiếu chuyển', 'PC', 27),
  ('Phiếu báo', 'PB', 28),
  ('Thư công', NULL, 29);
