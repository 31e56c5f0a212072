package io.helloserverless.benchmarks;

import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.ListFilesFunction;
import io.helloserverless.lambda.ReadFileFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./dev bench [cold|warm|restore|throughput|load|sizes|all]}: prints the tables of docs/performance.md.
 * Every figure sits next to a floor measured in the same run. System properties: {@code
 * functions} (the zips' folder); for the cold starts, those {@link ColdStartBench} names.
 */
public final class Bench {

    private static final Path ZIPS = Path.of(System.getProperty("functions", "adapters-lambda/target/functions"));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        Path work = Files.createTempDirectory("hs-bench");
        System.out.printf("# hello-serverless benchmarks (%s, %d cores, java %s)%n%n", what,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (what.equals("sizes") || what.equals("all")) {
            sizes(work);
        }
        if (what.equals("sizes")) {
            return;
        }
        try (BenchEnvironment environment = BenchEnvironment.start()) {
            if (what.equals("cold") || what.equals("all")) {
                new ColdStartBench(environment, work, ZIPS).run();
            }
            if (what.equals("warm") || what.equals("all")) {
                new WarmLatency(environment).run();
            }
            if (what.equals("restore") || what.equals("all")) {
                new RestoreBench(environment, work, ZIPS).run();
            }
            if (what.equals("throughput") || what.equals("all")) {
                new Throughput(environment, work).run();
            }
            if (what.equals("load") || what.equals("all")) {
                new Load(environment, work).run();
            }
        }
        // Lettuce and s3proxy leave non-daemon threads behind.
        System.exit(0);
    }

    private static List<Path> zips() throws IOException {
        try (Stream<Path> files = Files.list(ZIPS)) {
            return files.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
        }
    }

    private static void sizes(Path work) throws IOException {
        List<Path> zips = zips();
        long shaded = PackageSizes.shadedJarOfEverything(zips, work.resolve("everything.jar"));
        System.out.println("## Package size per function zip");
        System.out.println();
        System.out.println("| function | zip MB | vs one shaded jar of everything | target |");
        System.out.println("|---|---:|---:|---|");
        PackageSizes.zips(zips).forEach((zip, size) -> {
            String name = zip.replace(".zip", "");
            boolean strict = name.equals(Functions.nameOf(ReadFileFunction.class)) || name.equals(Functions.nameOf(ListFilesFunction.class));
            String target = strict ? (size <= 15_000_000 ? "≤ 15 MB: met" : String.format("≤ 15 MB: missed by %.1f MB", (size - 15_000_000) / 1e6))
                    : (size < shaded ? "< shaded: met" : "< shaded: missed");
            System.out.printf("| %s | %.1f | %.0f%% | %s |%n", name, size / 1e6, 100.0 * size / shaded, target);
        });
        System.out.printf("| (one shaded jar of everything) | %.1f | 100%% | |%n%n", shaded / 1e6);
    }
}
