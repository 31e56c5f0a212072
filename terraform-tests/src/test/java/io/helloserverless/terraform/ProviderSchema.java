package io.helloserverless.terraform;

import static io.helloserverless.terraform.TerraformConfig.map;
import static io.helloserverless.terraform.TerraformConfig.nested;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * The part of the hashicorp/aws provider schema the configuration uses, as extracted offline from
 * the provider's prebuilt bindings into {@code aws-provider-schema.json} (see
 * {@code terraform-tests/provider-schema/README.md}), and the check of every {@code resource} and
 * {@code data} block against it: no unknown argument or block, no missing required argument or
 * block, at any depth, through {@code dynamic} blocks, beside the meta-arguments.
 *
 * <p>hcl4j parses {@code name = { ... }} and {@code name { ... }} alike to a map, so this check
 * cannot tell a block written as an argument from a block; {@code terraform validate} can.
 */
final class ProviderSchema {

    /** From the bindings of a current provider release. */
    static final String NEWEST = "aws-provider-schema.json";
    /** From the bindings of the release at the lower bound of the aws version constraint in terraform/versions.tf. */
    static final String OLDEST = "aws-provider-schema-oldest.json";
    static final String REGENERATE = "node terraform-tests/provider-schema/extract-aws-provider-schema.mjs";

    /** What a block, or a resource or data source body, may hold: arguments (true when required) and blocks. */
    record Block(Map<String, Boolean> arguments, Map<String, NestedBlock> blocks) {
    }

    /** A nested block or nested attribute ({@code block} false: written {@code name = {...}}). */
    record NestedBlock(boolean required, boolean block, Block schema) {
    }

    private static final Set<String> RESOURCE_META = Set.of("count", "for_each", "depends_on", "provider", "provisioner", "connection");
    private static final Set<String> DATA_META = Set.of("count", "for_each", "depends_on", "provider");
    private static final Block CONDITION = new Block(Map.of("condition", true, "error_message", true), Map.of());
    private static final Block DATA_LIFECYCLE = new Block(Map.of(),
            Map.of("precondition", new NestedBlock(false, true, CONDITION), "postcondition", new NestedBlock(false, true, CONDITION)));
    private static final Block RESOURCE_LIFECYCLE = new Block(
            Map.of("create_before_destroy", false, "prevent_destroy", false, "ignore_changes", false, "replace_triggered_by", false),
            DATA_LIFECYCLE.blocks());
    private static final Set<String> DYNAMIC_ARGUMENTS = Set.of("for_each", "iterator", "labels", "content");

    private final String file;
    private final String package_;
    private final String provider;
    private final Map<String, Map<String, Block>> types;

    private ProviderSchema(String file, String package_, String provider, Map<String, Map<String, Block>> types) {
        this.file = file;
        this.package_ = package_;
        this.provider = provider;
        this.types = types;
    }

    /** {@link #NEWEST} or {@link #OLDEST}, from the test classpath. */
    static ProviderSchema load(String file) {
        try (InputStream in = ProviderSchema.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new IllegalStateException("No " + file + " on the test classpath; generate it with " + REGENERATE);
            }
            Map<String, Object> document = map(JsonMapper.builder().build().readValue(in, LinkedHashMap.class));
            Map<String, Object> source = map(document.get("_source"));
            Map<String, Map<String, Block>> types = new TreeMap<>();
            for (String kind : List.of("resource", "data")) {
                Map<String, Block> byType = new TreeMap<>();
                map(document.get(kind)).forEach((type, block) -> byType.put(type, block(map(block))));
                types.put(kind, byType);
            }
            return new ProviderSchema(file, String.valueOf(source.get("package")), String.valueOf(source.get("provider")), types);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Block block(Map<String, Object> json) {
        Map<String, Boolean> arguments = new TreeMap<>();
        map(json.get("arguments")).forEach((name, required) -> arguments.put(name, Boolean.TRUE.equals(required)));
        Map<String, NestedBlock> blocks = new TreeMap<>();
        map(json.get("blocks")).forEach((name, nested) -> {
            Map<String, Object> body = map(nested);
            blocks.put(name, new NestedBlock(Boolean.TRUE.equals(body.get("required")), !Boolean.FALSE.equals(body.get("block")), block(body)));
        });
        return new Block(arguments, blocks);
    }

    /** "hashicorp/aws 6.66.0 (@cdktn/provider-aws@25.7.0)" */
    String origin() {
        return provider.replace("registry.terraform.io/", "") + " (" + package_ + ")";
    }

    /** The provider release the schema comes from: "6.66.0". */
    String providerVersion() {
        return provider.substring(provider.lastIndexOf(' ') + 1);
    }

    Map<String, Block> types(String kind) {
        return types.getOrDefault(kind, Map.of());
    }

    /** Every resource and data block of the configuration checked against the schema; empty when all conform. */
    List<String> check(TerraformConfig tf) {
        List<String> findings = new ArrayList<>();
        for (String kind : List.of("resource", "data")) {
            for (String type : tf.types(kind)) {
                tf.blocks(kind, type).forEach((name, body) -> {
                    String where = fileOf(tf, kind, type, name) + ": " + kind + " " + type + "." + name;
                    Block schema = types(kind).get(type);
                    if (schema == null) {
                        findings.add(where + ": the type is not in " + file + " (" + origin() + ")"
                                + (type.startsWith("aws_")
                                        ? "; regenerate it with " + REGENERATE + ", which extracts every type terraform/ declares"
                                        : "; it holds the hashicorp/aws provider only: extend " + REGENERATE + " to cover this provider"));
                        return;
                    }
                    boolean resource = kind.equals("resource");
                    checkBody(where, "", body, schema, resource ? RESOURCE_META : DATA_META,
                            resource ? RESOURCE_LIFECYCLE : DATA_LIFECYCLE, findings);
                });
            }
        }
        return findings;
    }

    private void checkBody(String where, String path, Map<String, Object> body, Block schema, Set<String> meta, Block lifecycle,
                           List<String> findings) {
        Set<String> dynamicLabels = new TreeSet<>();
        for (Map.Entry<String, Object> entry : body.entrySet()) {
            String key = entry.getKey();
            if (meta.contains(key)) {
                continue;
            }
            if (key.equals("lifecycle") && lifecycle != null) {
                for (Map<String, Object> one : nested(body, key)) {
                    checkBody(where, path + "lifecycle.", one, lifecycle, Set.of(), null, findings);
                }
            } else if (key.equals("dynamic")) {
                for (Map<String, Object> byLabel : nested(body, key)) {
                    byLabel.forEach((label, value) -> {
                        dynamicLabels.add(label);
                        for (Map<String, Object> dynamic : nested(byLabel, label)) {
                            checkDynamic(where, path, label, dynamic, schema, findings);
                        }
                    });
                }
            } else if (schema.blocks().containsKey(key)) {
                NestedBlock nested = schema.blocks().get(key);
                for (Map<String, Object> one : nested(body, key)) {
                    checkBody(where, path + key + ".", one, nested.schema(), Set.of(), null, findings);
                }
            } else if (!schema.arguments().containsKey(key)) {
                findings.add(where + ": unknown argument or block " + path + key + " (" + origin() + ")");
            }
        }
        schema.arguments().forEach((name, required) -> {
            if (required && !body.containsKey(name)) {
                findings.add(where + ": missing required argument " + path + name + " (" + origin() + ")");
            }
        });
        schema.blocks().forEach((name, nested) -> {
            if (nested.required() && !body.containsKey(name) && !dynamicLabels.contains(name)) {
                findings.add(where + ": missing required block " + path + name + " (" + origin() + ")");
            }
        });
    }

    private void checkDynamic(String where, String path, String label, Map<String, Object> dynamic, Block schema, List<String> findings) {
        String at = path + "dynamic \"" + label + "\"";
        NestedBlock target = schema.blocks().get(label);
        if (target == null || !target.block()) {
            findings.add(where + ": " + at + " generates " + (target != null || schema.arguments().containsKey(label)
                    ? "an argument, not a block" : "an unknown block " + path + label) + " (" + origin() + ")");
        }
        dynamic.keySet().stream().filter(key -> !DYNAMIC_ARGUMENTS.contains(key))
                .forEach(key -> findings.add(where + ": " + at + " has an unknown argument or block " + key));
        if (!dynamic.containsKey("for_each")) {
            findings.add(where + ": " + at + " lacks for_each");
        }
        List<Map<String, Object>> contents = nested(dynamic, "content");
        if (contents.isEmpty()) {
            findings.add(where + ": " + at + " lacks its content block");
        }
        if (target != null && target.block()) {
            for (Map<String, Object> content : contents) {
                checkBody(where, path + label + ".", content, target.schema(), Set.of(), null, findings);
            }
        }
    }

    private static String fileOf(TerraformConfig tf, String kind, String type, String name) {
        String header = kind + " \"" + type + "\" \"" + name + "\"";
        return tf.sources().files().entrySet().stream()
                .filter(file -> file.getValue().contains(header))
                .map(Map.Entry::getKey)
                .findFirst().orElse("?");
    }
}
