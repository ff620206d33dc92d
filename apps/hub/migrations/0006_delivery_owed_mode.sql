-- The news of a delivery owed says how it goes, after its target: pushers wake only for deliveries
-- they push, not for every package a pulling system will collect.
CREATE OR REPLACE FUNCTION hub_delivery_owed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_deliveries', NEW.target_kind || ':' || NEW.target_id || ' ' || NEW.mode);
  RETURN NULL;
END
$$;
