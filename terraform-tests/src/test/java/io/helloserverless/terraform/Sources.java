package io.helloserverless.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of the files of one folder with a given extension, and copies of it with one
 * deliberate edit: the policy tests break a copy in memory to show each rule can fail.
 */
final class Sources {

    private final Map<String, String> files;

    private Sources(Map<String, String> files) {
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    static Sources read(Path folder, String extension) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("No folder at " + folder.toAbsolutePath().normalize());
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.filter(p -> p.getFileName().toString().endsWith(extension)).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("No *" + extension + " file in " + folder.toAbsolutePath().normalize());
        }
        return new Sources(files);
    }

    Map<String, String> files() {
        return files;
    }

    String text(String file) {
        String text = files.get(file);
        if (text == null) {
            throw new IllegalArgumentException("No file " + file + " among " + files.keySet());
        }
        return text;
    }

    /** A copy in which {@code from}, which must occur exactly once in {@code file}, reads {@code to}. */
    Sources replace(String file, String from, String to) {
        String text = text(file);
        return spliced(file, text, onlyOnce(text, from, file), from, to);
    }

    /**
     * A copy in which {@code from}, which must occur exactly once inside the block that starts with
     * {@code block} (up to its closing brace at the start of a line), reads {@code to}: an edit that
     * stays right when other blocks hold the same text.
     */
    Sources replaceIn(String file, String block, String from, String to) {
        String text = text(file);
        int start = onlyOnce(text, block, file);
        int end = text.indexOf("\n}\n", start);
        String inside = text.substring(start, end < 0 ? text.length() : end + 3);
        return spliced(file, text, start + onlyOnce(inside, from, block), from, to);
    }

    private static int onlyOnce(String text, String part, String where) {
        int at = text.indexOf(part);
        if (at < 0 || text.indexOf(part, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + part + "' must occur exactly once in " + where);
        }
        return at;
    }

    private Sources spliced(String file, String text, int at, String from, String to) {
        Map<String, String> copy = new TreeMap<>(files);
        copy.put(file, text.substring(0, at) + to + text.substring(at + from.length()));
        return new Sources(copy);
    }
}
