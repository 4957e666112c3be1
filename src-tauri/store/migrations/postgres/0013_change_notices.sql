-- Version 13 on a server: every change to what people record is announced to the windows that
-- show it (issue 22: live updates). After each statement that writes one of these tables, the
-- channel genjin_changes gets "table pid" (the writing session's server process, so a window
-- can leave out its own); PostgreSQL sends it at commit, and not at all on a rollback, and
-- sends the same message once per transaction however many statements wrote it.
CREATE FUNCTION genjin_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('genjin_changes', TG_TABLE_NAME || ' ' || pg_backend_pid());
    RETURN NULL;
END
$$;
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON list_items
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON requirements
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delay_applications
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delay_signoffs
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bugs
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notifications
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weekly_reports
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
CREATE TRIGGER genjin_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_versions
    FOR EACH STATEMENT EXECUTE FUNCTION genjin_notify_change();
