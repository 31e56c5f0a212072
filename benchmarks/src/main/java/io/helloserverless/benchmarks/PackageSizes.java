package io.helloserverless.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Each function's zip, against one shaded jar of everything: every class and resource of every
 * zip's jars merged into a single jar (first copy of a path wins), as the shade plugin would.
 */
final class PackageSizes {

    private PackageSizes() {
    }

    static Map<String, Long> zips(List<Path> zips) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Path zip : zips) {
            sizes.put(zip.getFileName().toString(), Files.size(zip));
        }
        return sizes;
    }

    static long shadedJarOfEverything(List<Path> zips, Path into) throws IOException {
        Set<String> seen = new HashSet<>();
        Set<String> jars = new HashSet<>();
        try (OutputStream file = Files.newOutputStream(into); ZipOutputStream shaded = new ZipOutputStream(file)) {
            for (Path zip : zips) {
                try (ZipFile function = new ZipFile(zip.toFile())) {
                    for (ZipEntry jar : function.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                        if (!jars.add(Path.of(jar.getName()).getFileName().toString())) {
                            continue;
                        }
                        try (InputStream in = function.getInputStream(jar); ZipInputStream entries = new ZipInputStream(in)) {
                            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                                if (entry.isDirectory() || !seen.add(entry.getName())) {
                                    continue;
                                }
                                shaded.putNextEntry(new ZipEntry(entry.getName()));
                                entries.transferTo(shaded);
                                shaded.closeEntry();
                            }
                        }
                    }
                }
            }
        }
        return Files.size(into);
    }
}
