package io.helloserverless.terraform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** GitHub Actions workflows read as plain maps (YAML 1.2, so the key {@code on} stays a string). */
final class Workflows {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Workflows() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> parse(Sources workflows) {
        Map<String, Map<String, Object>> parsed = new TreeMap<>();
        workflows.files().forEach((file, text) -> parsed.put(file, YAML.readValue(text, LinkedHashMap.class)));
        return parsed;
    }

    /** Every line of every {@code run} step, trimmed. */
    static List<String> runLines(Map<String, Object> workflow) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> step : steps(workflow)) {
            Object run = step.get("run");
            if (run != null) {
                for (String line : String.valueOf(run).split("\n")) {
                    lines.add(line.trim());
                }
            }
        }
        return lines;
    }

    /** Every action or reusable workflow the workflow uses. */
    static List<String> uses(Map<String, Object> workflow) {
        List<String> uses = new ArrayList<>();
        jobs(workflow).forEach(job -> {
            if (job.get("uses") != null) {
                uses.add(String.valueOf(job.get("uses")));
            }
        });
        steps(workflow).forEach(step -> {
            if (step.get("uses") != null) {
                uses.add(String.valueOf(step.get("uses")));
            }
        });
        return uses;
    }

    /** The permissions granted at the top and in every job, scope to level. */
    static List<Map.Entry<String, Object>> permissionEntries(Map<String, Object> workflow) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(TerraformConfig.map(workflow.get("permissions")).entrySet());
        jobs(workflow).forEach(job -> entries.addAll(TerraformConfig.map(job.get("permissions")).entrySet()));
        return entries;
    }

    static Map<String, Object> permissions(Map<String, Object> workflow) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : permissionEntries(workflow)) {
            if ("write".equals(entry.getValue()) || !merged.containsKey(entry.getKey())) {
                merged.put(entry.getKey(), entry.getValue());
            }
        }
        if ("write-all".equals(workflow.get("permissions"))) {
            merged.put("all", "write");
        }
        return merged;
    }

    private static List<Map<String, Object>> jobs(Map<String, Object> workflow) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        TerraformConfig.map(workflow.get("jobs")).values().forEach(job -> jobs.add(TerraformConfig.map(job)));
        return jobs;
    }

    private static List<Map<String, Object>> steps(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = new ArrayList<>();
        jobs(workflow).forEach(job -> TerraformConfig.list(job.get("steps")).forEach(step -> steps.add(TerraformConfig.map(step))));
        return steps;
    }
}
