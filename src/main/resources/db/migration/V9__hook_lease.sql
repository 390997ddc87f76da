-- Hook leases (issue 13): on the store backbone one instance at a time delivers a given hook.
-- - owner_instance: the id (relay.instance.id) of the instance that holds the hook's lease; NULL when free;
-- - lease_until: while owned, when the lease ends unless its owner renews it; once free (released, or never
--   held), since when the hook has been free. A lease that ended (lease_until before now) may be taken by
--   another instance with one conditional UPDATE (state/HookLeases).
-- Every update of the hook's cursor, pending batch and attempts by the delivery checks owner_instance in its
-- WHERE clause, so an instance that lost the lease cannot move the new owner's cursor.
ALTER TABLE hook_state ADD COLUMN owner_instance VARCHAR(200);
ALTER TABLE hook_state ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
