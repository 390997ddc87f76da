package dev.eventrelay.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based event ids (UUID version 5, SHA-1, RFC 9562): the same import and row identity always
 * give the same id, so importing the same data again yields the same {@code event_id}.
 */
public final class EventIds {

    /** The namespace of Event Relay's ids: itself a v5 id of "event-relay" in the URL namespace. */
    private static final UUID NAMESPACE = UUID.fromString("6f1c1c0e-3b9a-5c55-9a53-0c2a1f6f2e11");

    private EventIds() {
    }

    /** The id of row {@code row} of {@code file} in import {@code importName}. */
    public static String forFileRow(String importName, String file, long row) {
        return nameBased(importName + "\n" + file + "\n" + row);
    }

    public static String nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
        ByteBuffer namespace = ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits());
        sha1.update(namespace.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }
}
