package dev.eventrelay.ingest.file;

/** A regular file in the remote folder: name, size in bytes, modification time in Unix seconds. */
public record RemoteFile(String name, long sizeBytes, long modifiedAt) {
}
