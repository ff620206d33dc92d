-- Whatever queues a message for the hub (any office process, any feature) wakes the processes that
-- send the outbox, at commit; without it a message waits for the sender's next idle round.
CREATE FUNCTION hub_outbox_signal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER hub_outbox_queued AFTER INSERT ON hub_outbox FOR EACH STATEMENT EXECUTE FUNCTION hub_outbox_signal();
