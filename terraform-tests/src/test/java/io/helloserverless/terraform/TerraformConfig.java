package io.helloserverless.terraform;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.Variable;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Terraform root module as hcl4j parses it, normalised to maps, lists, strings, numbers,
 * booleans, {@link Ref}s and {@link Unparsed} expressions.
 *
 * <p>Each file is parsed on its own, as hcl4j resolves locals eagerly and fails on some of them
 * across files; references therefore stay names the rules resolve through {@link #resolve}.
 * hcl4j drops string index keys ({@code a["k"].b} becomes {@code a.value.b}): a rule that needs
 * the key reads the block's source with {@link #blockSource}.
 */
final class TerraformConfig {

    /** A reference such as {@code aws_s3_bucket.files.arn}, named as hcl4j names it. */
    record Ref(String name) {
    }

    /** An expression hcl4j keeps unevaluated or cannot evaluate (for, function calls). */
    record Unparsed(String text) {
    }

    private static final Pattern LOCAL_IN_TEXT = Pattern.compile("local\\.([A-Za-z_][A-Za-z0-9_]*)");

    private final Sources sources;
    private final Map<String, Map<String, Map<String, Object>>> blocks = new TreeMap<>();
    private final Map<String, Object> locals = new LinkedHashMap<>();
    private final List<Map<String, Object>> terraformBlocks = new ArrayList<>();

    private TerraformConfig(Sources sources) {
        this.sources = sources;
    }

    static TerraformConfig parse(Sources sources) {
        TerraformConfig config = new TerraformConfig(sources);
        sources.files().forEach(config::add);
        return config;
    }

    /** A copy of this configuration with one deliberate edit (see {@link Sources#replace}). */
    TerraformConfig replace(String file, String from, String to) {
        return parse(sources.replace(file, from, to));
    }

    /** A copy with one deliberate edit inside one block (see {@link Sources#replaceIn}). */
    TerraformConfig replaceIn(String file, String block, String from, String to) {
        return parse(sources.replaceIn(file, block, from, to));
    }

    Sources sources() {
        return sources;
    }

    /** Blocks of one kind ("resource", "data", "ephemeral") and type, by name; empty when none. */
    Map<String, Map<String, Object>> blocks(String kind, String type) {
        return blocks.getOrDefault(kind + " " + type, Map.of());
    }

    /** The types declared with one kind of block ("resource", "data", "ephemeral"), sorted. */
    Set<String> types(String kind) {
        Set<String> types = new TreeSet<>();
        blocks.keySet().stream().filter(key -> key.startsWith(kind + " ")).forEach(key -> types.add(key.substring(kind.length() + 1)));
        return types;
    }

    Map<String, Map<String, Object>> resources(String type) {
        return blocks("resource", type);
    }

    Optional<Map<String, Object>> resource(String type, String name) {
        return Optional.ofNullable(resources(type).get(name));
    }

    Optional<Map<String, Object>> data(String type, String name) {
        return Optional.ofNullable(blocks("data", type).get(name));
    }

    Map<String, Object> locals() {
        return locals;
    }

    Object variableDefault(String name) {
        Map<String, Object> variable = blocks("variable", "").get(name);
        return variable == null ? null : variable.get("default");
    }

    List<Map<String, Object>> terraformBlocks() {
        return terraformBlocks;
    }

    /** Resolves {@code local.x} and {@code var.x} (to its default), and {@code local.x} inside text. */
    Object resolve(Object value) {
        if (value instanceof Ref ref) {
            String name = ref.name();
            if (name.startsWith("local.") && locals.containsKey(name.substring(6))) {
                return resolve(locals.get(name.substring(6)));
            }
            if (name.startsWith("var.")) {
                Object fallback = variableDefault(name.substring(4));
                return fallback == null ? value : resolve(fallback);
            }
            return value;
        }
        if (value instanceof String text) {
            Matcher matcher = LOCAL_IN_TEXT.matcher(text);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                Object local = locals.get(matcher.group(1));
                String replacement = local instanceof String s ? s
                        : local instanceof Number n ? String.valueOf(n.longValue()) : matcher.group();
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(resolved);
            return resolved.toString();
        }
        return value;
    }

    String string(Object value) {
        Object resolved = resolve(value);
        return resolved instanceof String s ? s : null;
    }

    double number(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof Number n) {
            return n.doubleValue();
        }
        if (resolved instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
            return Double.parseDouble(s);
        }
        return Double.NaN;
    }

    boolean isTrue(Object value) {
        return Boolean.TRUE.equals(resolve(value));
    }

    /** The name of a reference, or null when the value is not one. */
    static String refName(Object value) {
        return value instanceof Ref ref ? ref.name() : null;
    }

    /** hcl4j gives one nested block as a map and repeated blocks as a list: always a list here. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> nested(Map<String, Object> body, String blockName) {
        Object value = body == null ? null : body.get(blockName);
        if (value instanceof Map<?, ?> single) {
            return List.of((Map<String, Object>) single);
        }
        if (value instanceof List<?> many) {
            return many.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList();
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    /**
     * The source text of {@code kind "type" "name" { ... }}, braces balanced; empty when absent.
     * For resources whose references carry string index keys hcl4j does not keep.
     */
    String blockSource(String kind, String type, String name) {
        String header = kind + " \"" + type + "\" \"" + name + "\" {";
        for (String text : sources.files().values()) {
            int start = text.indexOf(header);
            if (start < 0) {
                continue;
            }
            int depth = 0;
            for (int i = start + header.length() - 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return text.substring(start, i + 1);
                }
            }
        }
        return "";
    }

    private void add(String file, String text) {
        Map<String, Object> parsed;
        try {
            parsed = new HCLParser().parse(text);
        } catch (Exception | StackOverflowError e) {
            throw new IllegalStateException("hcl4j cannot parse " + file + ": " + e, e);
        }
        for (Map.Entry<String, Object> top : parsed.entrySet()) {
            Object value = normalise(top.getValue());
            switch (top.getKey()) {
                case "resource", "data", "ephemeral" -> addTyped(file, top.getKey(), map(value));
                case "variable", "output" -> addNamed(file, top.getKey(), map(value));
                case "locals" -> addLocals(file, value);
                case "terraform" -> terraformBlocks.add(map(value));
                default -> {
                    // provider blocks, and hcl4j's stray copies of jsonencode arguments
                }
            }
        }
    }

    private void addTyped(String file, String kind, Map<String, Object> byType) {
        byType.forEach((type, byName) -> map(byName).forEach((name, body) -> put(file, kind + " " + type, name, body)));
    }

    private void addNamed(String file, String kind, Map<String, Object> byName) {
        byName.forEach((name, body) -> put(file, kind + " ", name, body));
    }

    private void put(String file, String key, String name, Object body) {
        Map<String, Map<String, Object>> named = blocks.computeIfAbsent(key, k -> new TreeMap<>());
        if (named.putIfAbsent(name, map(body)) != null) {
            throw new IllegalStateException(key.trim() + " \"" + name + "\" is declared twice (again in " + file + ")");
        }
    }

    private void addLocals(String file, Object value) {
        List<Object> all = value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
        for (Object one : all) {
            map(one).forEach((name, local) -> {
                if (locals.putIfAbsent(name, local) != null) {
                    throw new IllegalStateException("local." + name + " is declared twice (again in " + file + ")");
                }
            });
        }
    }

    private static Object normalise(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), normalise(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(normalise(v)));
            return copy;
        }
        if (value instanceof Variable variable) {
            return new Ref(variable.getName());
        }
        if (value instanceof Symbol symbol) {
            return new Unparsed(String.valueOf(symbol));
        }
        return value;
    }
}
