package dev.eventrelay.support;

/**
 * Keeps servers out of {@code bin/test fast}: that run sets the system property {@value #PROPERTY} (Maven profile
 * {@code fast}) and leaves out the tests tagged {@link Slow}; a helper that would start the service or a server calls
 * {@link #refuse} first, so a test that starts one without the tag fails at once instead of slowing the fast run.
 */
public final class FastRun {

    public static final String PROPERTY = "relay.tests.fast";

    private FastRun() {
    }

    /** Fails when this is the fast run; {@code what} names what the test was about to start. */
    public static void refuse(String what) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        String test = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.endsWith("Test") || name.endsWith("IT")).findFirst()).orElse("the test");
        throw new AssertionError(test + " starts " + what + ", which bin/test fast does not run: annotate the test"
                + " class (or its base class) with @" + Slow.class.getName() + " so only the full bin/test runs it");
    }
}
