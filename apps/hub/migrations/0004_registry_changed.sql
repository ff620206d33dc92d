-- Every hub process keeps the registry (who a client certificate is, where each agency is reached)
-- in memory; any change to it, by the vanban commands, the admin API or plain SQL, tells them all.
CREATE FUNCTION hub_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_registry', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER registry_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON systems
  FOR EACH STATEMENT EXECUTE FUNCTION hub_registry_changed();
CREATE TRIGGER registry_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON system_agencies
  FOR EACH STATEMENT EXECUTE FUNCTION hub_registry_changed();
CREATE TRIGGER registry_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON peers
  FOR EACH STATEMENT EXECUTE FUNCTION hub_registry_changed();
CREATE TRIGGER registry_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON peer_routes
  FOR EACH STATEMENT EXECUTE FUNCTION hub_registry_changed();
CREATE TRIGGER registry_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON administrators
  FOR EACH STATEMENT EXECUTE FUNCTION hub_registry_changed();
