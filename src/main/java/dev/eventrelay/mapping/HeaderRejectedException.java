package dev.eventrelay.mapping;

/**
 * A header that cannot be mapped (a required column missing, no event type, two columns for one field, clashing
 * nested paths): the importer rejects the whole file with this reason.
 */
public class HeaderRejectedException extends Exception {

    public HeaderRejectedException(String reason) {
        super(reason);
    }
}
