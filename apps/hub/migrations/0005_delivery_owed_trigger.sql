-- A delivery that becomes owed wakes every hub process's pushers and long polls, whatever made it
-- owed: a package accepted, or a failed delivery requeued by an administrator.
CREATE FUNCTION hub_delivery_owed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_deliveries', NEW.target_kind || ':' || NEW.target_id);
  RETURN NULL;
END
$$;

CREATE TRIGGER delivery_owed AFTER INSERT ON deliveries
  FOR EACH ROW EXECUTE FUNCTION hub_delivery_owed();
CREATE TRIGGER delivery_owed_again AFTER UPDATE OF state ON deliveries
  FOR EACH ROW WHEN (NEW.state = 'pending' AND OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION hub_delivery_owed();
