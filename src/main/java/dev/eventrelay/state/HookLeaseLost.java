package dev.eventrelay.state;

/**
 * A delivery update of a hook's state found that this instance no longer holds the hook's lease (another instance
 * took it, e.g. after a pause longer than the lease): the update did nothing, and the transaction it was part of
 * was rolled back. The delivery stops there and leaves the hook to its new owner.
 */
public final class HookLeaseLost extends RuntimeException {

    private final String hook;

    public HookLeaseLost(String hook, String instanceId) {
        super("hook " + hook + ": instance " + instanceId + " no longer holds its lease");
        this.hook = hook;
    }

    public String hook() {
        return hook;
    }
}
