package dev.eventrelay.delivery;

import dev.eventrelay.state.HookStates;

import java.time.Duration;
import java.time.Instant;

/**
 * When a hook stops attempting (its circuit opens, status {@code Failed}): after {@code failures} consecutive
 * failed attempts, or once it has failed without a success for {@code failingFor}; then it probes once per
 * {@code probeInterval} and closes on the first success. Zero turns a trigger off.
 */
public record CircuitPolicy(int failures, Duration failingFor, Duration probeInterval) {

    /** Whether a hook whose failures stand at {@code failing} should stop attempting now. */
    public boolean trips(HookStates.Failing failing, Instant now) {
        if (failures > 0 && failing.failures() >= failures) {
            return true;
        }
        return !failingFor.isZero() && failing.since() != null && !now.isBefore(failing.since().plus(failingFor));
    }

    /** Why the circuit opened, for the error log and the hook's status. */
    public String reason(HookStates.Failing failing, Instant now) {
        return failing.failures() + " consecutive failed attempt(s) since " + failing.since()
                + "; the hook probes once every " + probeInterval.toSeconds() + " s until one succeeds";
    }
}
