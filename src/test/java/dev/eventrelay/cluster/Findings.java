package dev.eventrelay.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cluster scenario found wrong on the way, kept until its end, so one run names every broken promise (the
 * refusal of a second run, a takeover, the spread of hooks) rather than only the first. The scenario fails at its
 * end when there is any, and a failure half-way carries those found before it.
 */
final class Findings {

    private final List<String> found = new ArrayList<>();

    /** Notes {@code what} (a sentence saying what should hold) unless {@code holds}. */
    synchronized void check(boolean holds, String what) {
        if (!holds) {
            found.add(what);
            System.out.println("FINDING: " + what);
        }
    }

    synchronized List<String> all() {
        return List.copyOf(found);
    }

    /** {@code failure} with every finding so far added to its message. */
    synchronized AssertionError with(Throwable failure) {
        AssertionError error = new AssertionError(failure.getMessage() + (found.isEmpty() ? ""
                : "\nfound before it:\n- " + String.join("\n- ", found)), failure);
        return error;
    }

    @Override
    public synchronized String toString() {
        return found.isEmpty() ? "nothing" : "- " + String.join("\n- ", found);
    }
}
