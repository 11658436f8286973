package io.vigil.harness.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The queries of deploy/'s Prometheus rules and Grafana dashboard, and the metric names they use. */
public final class MonitoringFiles {

    public static final String RULES = "deploy/prometheus/vigil-rules.yml";
    public static final String RULE_TESTS = "deploy/prometheus/vigil-rules-test.yml";
    public static final String DASHBOARD = "deploy/grafana/vigil-dashboard.json";

    /** A metric name of Flink's reporter or of the bridge, inside a PromQL expression. */
    private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_]+|vigil_bridge_[A-Za-z0-9_]+)\\b");
    /** The query inside a rule annotation's template: {{ with query "..." }}. */
    private static final Pattern TEMPLATE_QUERY = Pattern.compile("query \"((?:[^\"\\\\]|\\\\.)*)\"");

    private MonitoringFiles() {}

    /** Every PromQL expression of the rules: each rule's expr and the queries in its annotations. */
    @SuppressWarnings("unchecked")
    public static List<String> ruleExpressions(Path repository) throws IOException {
        Map<String, Object> file;
        try (Reader r = Files.newBufferedReader(repository.resolve(RULES))) {
            file = new Yaml().load(r);
        }
        List<String> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                out.add((String) rule.get("expr"));
                Map<String, String> annotations = (Map<String, String>) rule.getOrDefault("annotations", Map.of());
                for (String text : annotations.values()) {
                    Matcher m = TEMPLATE_QUERY.matcher(text);
                    while (m.find()) {
                        out.add(m.group(1).replace("\\\"", "\""));
                    }
                }
            }
        }
        return out;
    }

    /** Every query of the dashboard: each panel target's expr, and the template variables' queries. */
    public static List<String> dashboardExpressions(Path repository) throws IOException {
        JsonNode dashboard =
                new ObjectMapper().readTree(repository.resolve(DASHBOARD).toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                out.add(variable.path("definition").asText());
            }
        }
        return out;
    }

    /** The Flink and bridge metric names in {@code expressions}. */
    public static Set<String> metricNames(List<String> expressions) {
        Set<String> out = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
