package io.helloserverless.rehearsal;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code terraform/} deploys, read from its files rather than copied: each function's handler
 * string, memory, timeout and environment variables, and the inputs an operator gives
 * ({@code var.*} without a default). References to resources that only AWS creates (an RDS
 * address, a secret's ARN, the bucket's name) are answered by the rehearsal's stand-ins; a
 * reference the rehearsal has no stand-in for fails the start, so a new one cannot go unseen.
 *
 * <p>hcl4j reads the structure (the {@code functions} map); it drops function calls and string
 * templates, so the environment's expressions are read from the source text by the small
 * evaluator below, which knows string templates, {@code tostring()}, {@code local.*},
 * {@code var.*} and resource attributes, and nothing else.
 */
final class Deployment {

    /** One {@code aws_lambda_function}. */
    record Function(String name, String handler, int memoryMb, int timeoutSeconds, Map<String, String> environment,
                    List<String> layers, int reservedConcurrency) {
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern LAYERS = Pattern.compile(
            "(?m)^\\s*layers\\s*=\\s*contains\\(each\\.value\\.uses,\\s*\"([a-z_]+)\"\\)\\s*\\?\\s*\\[([^]]*)]\\s*:\\s*\\[]\\s*$");
    private static final Pattern GROUP_IN_MERGE = Pattern.compile(
            "contains\\(each\\.value\\.uses,\\s*\"([a-z_]+)\"\\)\\s*\\?\\s*local\\.env_groups\\.([a-z_]+)\\s*:\\s*\\{}");

    private final Map<String, Object> locals;
    private final Map<String, Object> variables;
    private final java.util.function.Function<String, String> standIns;
    private final String localsSource;
    private final String functionsSource;
    private final Path terraform;

    private Deployment(Path terraform, Map<String, String> inputs, java.util.function.Function<String, String> standIns) throws IOException {
        this.terraform = terraform;
        this.localsSource = Files.readString(terraform.resolve("locals.tf"));
        this.functionsSource = Files.readString(terraform.resolve("functions.tf"));
        this.locals = locals(localsSource);
        this.variables = variables(Files.readString(terraform.resolve("variables.tf")), inputs);
        this.standIns = standIns;
    }

    /**
     * @param inputs   values for the variables an operator must give (those without a default)
     * @param standIns the local value of a resource attribute such as {@code aws_db_instance.main.address},
     *                 or null when the rehearsal has none
     */
    static Deployment open(Path terraform, Map<String, String> inputs, java.util.function.Function<String, String> standIns)
            throws IOException {
        return new Deployment(terraform, inputs, standIns);
    }

    /** The value of {@code name} in the block {@code header} of {@code file}, for example a resource's {@code name}. */
    String attribute(String file, String header, String name) throws IOException {
        return evaluate(assignment(block(Files.readString(terraform.resolve(file)), header), name));
    }

    List<Function> functions() {
        String resource = block(functionsSource, "resource \"aws_lambda_function\" \"function\"");
        String handlerTemplate = unquote(assignment(resource, "handler"));
        String merge = block(resource, "environment");
        Map<String, String> groups = new LinkedHashMap<>();
        Matcher group = GROUP_IN_MERGE.matcher(merge);
        while (group.find()) {
            if (!group.group(1).equals(group.group(2))) {
                throw new IllegalStateException("functions.tf: use \"" + group.group(1) + "\" merges env group " + group.group(2));
            }
            groups.put(group.group(1), group.group(2));
        }
        if (groups.isEmpty() || !merge.contains("local.env_common")) {
            throw new IllegalStateException("functions.tf: the environment merge is not one the rehearsal can read");
        }
        Matcher layers = LAYERS.matcher(resource);
        String layerUse = layers.find() ? layers.group(1) : null;
        List<String> layerRefs = layerUse == null ? List.of()
                : List.of(layers.group(2).split("\\s*,\\s*")).stream().map(String::strip).toList();
        if (layerUse == null && resource.contains("layers")) {
            throw new IllegalStateException("functions.tf: the layers expression is not one the rehearsal can read");
        }
        Map<String, Object> functions = map(locals.get("functions"));
        return functions.entrySet().stream().map(entry -> {
            Map<String, Object> spec = map(entry.getValue());
            Map<String, String> environment = new LinkedHashMap<>(envBlock("env_common"));
            for (Object use : (List<?>) spec.get("uses")) {
                if (!groups.containsKey(String.valueOf(use))) {
                    throw new IllegalStateException("function " + entry.getKey() + " uses \"" + use + "\", which functions.tf does not merge");
                }
                environment.putAll(envBlock("env_groups." + use));
            }
            String handler = INTERPOLATION.matcher(handlerTemplate).replaceAll(m -> Matcher.quoteReplacement(
                    String.valueOf(spec.get(m.group(1).replace("each.value.", "")))));
            List<?> uses = (List<?>) spec.get("uses");
            return new Function(entry.getKey(), handler, number(spec.get("memory")), number(spec.get("timeout")),
                    Map.copyOf(environment), uses.contains(layerUse) ? layerRefs : List.of(), number(spec.get("concurrency")));
        }).toList();
    }

    /** The {@code NAME = expression} lines of {@code local.env_common} or {@code local.env_groups.X}, evaluated. */
    private Map<String, String> envBlock(String path) {
        String text = localsSource;
        for (String part : path.split("\\.")) {
            text = block(text, part + " =");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher line = ASSIGNMENT.matcher(text.substring(text.indexOf('{') + 1, text.lastIndexOf('}')));
        while (line.find()) {
            values.put(line.group(1), evaluate(line.group(2)));
        }
        return values;
    }

    /** A string template, {@code tostring(x)}, {@code local.x}, {@code var.x} or a resource attribute. */
    String evaluate(String expression) {
        String e = expression.strip();
        if (e.startsWith("\"") && e.endsWith("\"")) {
            return INTERPOLATION.matcher(unquote(e)).replaceAll(m -> Matcher.quoteReplacement(evaluate(m.group(1))));
        }
        if (e.startsWith("tostring(") && e.endsWith(")")) {
            return evaluate(e.substring("tostring(".length(), e.length() - 1));
        }
        if (e.startsWith("local.")) {
            return scalar(e, locals.get(e.substring("local.".length())));
        }
        if (e.startsWith("var.")) {
            return scalar(e, variables.get(e.substring("var.".length())));
        }
        String standIn = e.matches("[a-z0-9_]+\\.[a-z0-9_]+\\.[a-z0-9_.\\[\\]]+") ? standIns.apply(e) : null;
        if (standIn == null) {
            throw new IllegalStateException("the rehearsal has no stand-in for `" + e + "` (terraform/locals.tf)");
        }
        return standIn;
    }

    private static String scalar(String name, Object value) {
        if (value instanceof Number number) {
            return number.doubleValue() == Math.rint(number.doubleValue())
                    ? String.valueOf(number.longValue()) : String.valueOf(number);
        }
        if (value instanceof String || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw new IllegalStateException(name + " has no value the rehearsal can use: " + value);
    }

    /** The text of {@code header ... { ... }}, braces balanced, from the first brace after the header. */
    static String block(String text, String header) {
        Matcher start = Pattern.compile("(?m)^\\s*" + Pattern.quote(header) + "\\s*\\{?").matcher(text);
        if (!start.find()) {
            throw new IllegalStateException("no `" + header + "` block in the Terraform source");
        }
        int open = text.indexOf('{', start.start());
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(start.start(), i + 1);
            }
        }
        throw new IllegalStateException("unbalanced braces after `" + header + "`");
    }

    private static String assignment(String block, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*(.+?)\\s*$").matcher(block);
        if (!m.find()) {
            throw new IllegalStateException("no `" + name + "` in the Terraform block");
        }
        return m.group(1);
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    private static int number(Object value) {
        return ((Number) value).intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> parse(String source) throws IOException {
        try {
            return map(new HCLParser().parse(source));
        } catch (HCLParserException e) {
            throw new IOException("hcl4j cannot parse the Terraform source: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> locals(String source) throws IOException {
        Object parsed = parse(source).get("locals");
        return map(parsed instanceof List<?> list ? list.getFirst() : parsed);
    }

    /** Each variable's default, overridden by the operator's input; a variable with neither has no value. */
    private static Map<String, Object> variables(String source, Map<String, String> inputs) throws IOException {
        Map<String, Object> declared = map(parse(source).get("variable"));
        Map<String, Object> values = new LinkedHashMap<>();
        declared.forEach((name, body) -> {
            Object fallback = map(body).get("default");
            if (fallback != null) {
                values.put(name, fallback);
            }
        });
        inputs.forEach((name, value) -> {
            if (!declared.containsKey(name)) {
                throw new IllegalStateException("terraform/variables.tf declares no variable " + name);
            }
            values.put(name, value);
        });
        return values;
    }

}
