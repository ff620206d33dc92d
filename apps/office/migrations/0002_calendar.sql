-- The working-day calendar shared by the whole installation: exceptions to
-- "Monday to Friday" (holidays on weekdays, Saturdays worked in exchange).
CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  working boolean NOT NULL,
  name_vi text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  source text NOT NULL CHECK (source IN ('statutory', 'administrator')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Years whose statutory holidays were preloaded once; an administrator's
-- later changes to those years are never overwritten.
CREATE TABLE calendar_years (
  year int PRIMARY KEY,
  preloaded_at timestamptz NOT NULL DEFAULT now()
);
