package io.gantry.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registries that answered over plain HTTP the last time Gantry connected to them, kept in a
 * file (one {@code host[:port]} a line) so that the next process pings them over plain HTTP alone
 * instead of racing an HTTPS ping against it: that race costs a cold command the platform's TLS
 * set-up and a handshake that cannot succeed. It is only a hint: {@link TransportSettings} alone
 * decides which registries may use plain HTTP (loopback and the user's insecure registries, as
 * Docker's rules say), and {@link RegistryCaller} consults this for no other; when the plain ping
 * fails, it races both again and notes the winner.
 */
final class KnownPlainHttp {

    private static final Logger LOG = LoggerFactory.getLogger(KnownPlainHttp.class);
    /** The most of the file read: a few thousand names; a longer file is taken as empty. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final KnownPlainHttp NONE = new KnownPlainHttp(null);

    private final Path file;
    private Set<String> registries;

    private KnownPlainHttp(Path file) {
        this.file = file;
    }

    /** Remembers nothing (a client without a place to keep it: tests, pod checks). */
    static KnownPlainHttp none() {
        return NONE;
    }

    /** Kept in {@code file}, created when the first registry is noted. */
    static KnownPlainHttp in(Path file) {
        return new KnownPlainHttp(file.toAbsolutePath());
    }

    /** Whether {@code registry} answered over plain HTTP last time. */
    synchronized boolean contains(String registry) {
        return file != null && registries().contains(registry.toLowerCase(Locale.ROOT));
    }

    /** Notes how {@code registry} answered: over plain HTTP ({@code plain}) or over HTTPS. */
    synchronized void note(String registry, boolean plain) {
        if (file == null) {
            return;
        }
        Set<String> known = registries();
        String name = registry.toLowerCase(Locale.ROOT);
        if (plain ? known.add(name) : known.remove(name)) {
            write(known);
        }
    }

    private Set<String> registries() {
        if (registries == null) {
            registries = read();
        }
        return registries;
    }

    private Set<String> read() {
        Set<String> names = new TreeSet<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                return names;
            }
            new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty())
                    .forEach(names::add);
        } catch (NoSuchFileException e) {
            // nothing noted yet
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", file, io.gantry.core.IoProblem.describe(e));
        }
        return names;
    }

    /** Replaces the file atomically (another process may be reading it); a failure only costs the hint. */
    private void write(Set<String> names) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(temp, String.join("\n", names) + (names.isEmpty() ? "" : "\n"));
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot write {}: {}", file, io.gantry.core.IoProblem.describe(e));
        }
    }
}
