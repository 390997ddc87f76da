package dev.eventrelay.ingest.file;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * A session on one import's SFTP folder, through JSch (the SSH client that Camel's sftp component
 * uses): lists the folder, streams a file, and deletes or moves it after its import. The server's
 * host key is checked against the known_hosts file unless the import turns checking off.
 */
public final class SftpSite implements AutoCloseable {

    private final Session session;
    private final ChannelSftp channel;
    private final String folder;

    private SftpSite(Session session, ChannelSftp channel, String folder) {
        this.session = session;
        this.channel = channel;
        this.folder = folder;
    }

    public static SftpSite open(SftpImportConfig.SftpServerConfig server, String folder) throws IOException {
        try {
            JSch jsch = new JSch();
            if (server.strictHostKeyChecking()) {
                jsch.setKnownHosts(server.knownHostsFile().toString());
            }
            if (server.privateKeyFile() != null) {
                jsch.addIdentity(server.privateKeyFile().toString(), server.privateKeyPassphrase());
            }
            Session session = jsch.getSession(server.user(), server.host(), server.port());
            if (server.password() != null) {
                session.setPassword(server.password());
            }
            session.setConfig("StrictHostKeyChecking", server.strictHostKeyChecking() ? "yes" : "no");
            session.setConfig("PreferredAuthentications", "publickey,password");
            SftpKeyExchange.SessionConfig kex = SftpKeyExchange.sessionConfig(server.keyExchange());
            session.setConfig("kex", kex.kex());
            session.setConfig("CheckKexes", kex.checkKexes());
            session.connect(server.connectTimeoutMs());
            ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
            try {
                channel.connect(server.connectTimeoutMs());
            } catch (JSchException e) {
                session.disconnect();
                throw e;
            }
            return new SftpSite(session, channel, folder);
        } catch (JSchException e) {
            throw new IOException("cannot connect to " + server + ": " + reason(e), e);
        }
    }

    /** The regular files of the folder. */
    public List<RemoteFile> list() throws IOException {
        try {
            List<RemoteFile> files = new ArrayList<>();
            Vector<ChannelSftp.LsEntry> entries = channel.ls(folder);
            for (ChannelSftp.LsEntry entry : entries) {
                SftpATTRS attrs = entry.getAttrs();
                if (attrs.isReg()) {
                    files.add(new RemoteFile(entry.getFilename(), attrs.getSize(), attrs.getMTime()));
                }
            }
            return files;
        } catch (SftpException e) {
            throw new IOException("cannot list folder '" + folder + "': " + e.getMessage(), e);
        }
    }

    /** A stream of the file's bytes, read as it is consumed. */
    public InputStream open(String name) throws IOException {
        try {
            return channel.get(path(name));
        } catch (SftpException e) {
            throw new IOException("cannot read '" + name + "': " + e.getMessage(), e);
        }
    }

    public void delete(String name) throws IOException {
        try {
            channel.rm(path(name));
        } catch (SftpException e) {
            throw new IOException("cannot delete '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Moves the file into {@code target} (relative to the import's folder unless absolute), creating it if needed. */
    public void move(String name, String target) throws IOException {
        String dir = target.startsWith("/") ? target : path(target);
        try {
            try {
                channel.stat(dir);
            } catch (SftpException missing) {
                channel.mkdir(dir);
            }
            channel.rename(path(name), dir + "/" + name);
        } catch (SftpException e) {
            throw new IOException("cannot move '" + name + "' to '" + target + "': " + e.getMessage(), e);
        }
    }

    private String path(String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    private static String reason(JSchException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.startsWith("UnknownHostKey") || message.startsWith("reject HostKey")) {
            return "the server's host key is not in the known_hosts file (" + message + ")";
        }
        if (message.contains("Auth fail") || message.contains("Auth cancel")) {
            return "authentication failed (" + message + ")";
        }
        if (message.startsWith("HostKey has been changed")) {
            return "the server's host key differs from the one in the known_hosts file";
        }
        return message;
    }

    @Override
    public void close() {
        channel.disconnect();
        session.disconnect();
    }
}
