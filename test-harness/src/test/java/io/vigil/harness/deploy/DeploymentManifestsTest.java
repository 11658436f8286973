package io.vigil.harness.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.bridge.BridgeConfig;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.metrics.HostPrometheusReporterFactory;
import io.vigil.trainer.cli.TrainerCli;
import io.vigil.trainer.publish.PublishOptions;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The deployment manifests (deploy/k8s for the Flink Kubernetes Operator and Strimzi, deploy/compose
 * for Docker) agree with the code they deploy: the job's entry class, jar and option keys, the topic
 * names, the model store path, the versions of the root pom, and the Flink settings of deploy/local.
 * Nothing here runs a cluster; a failure names the file and what to change.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("..");
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final Path COMPOSE = ROOT.resolve("deploy/compose");
    private static final Path FLINK_DEPLOYMENT = K8S.resolve("flink-deployment.yaml");
    private static final Path KAFKA = K8S.resolve("kafka.yaml");
    private static final Path MODEL_STORE = K8S.resolve("model-store.yaml");
    private static final Path TRAINER = K8S.resolve("trainer-job.yaml");
    private static final Path MONITORING = K8S.resolve("monitoring.yaml");
    private static final Path COMPOSE_PROMETHEUS = COMPOSE.resolve("prometheus.yml");
    private static final Path COMPOSE_BRIDGE = COMPOSE.resolve("alert-bridge.properties");
    private static final Path LOCAL_BRIDGE = ROOT.resolve("deploy/local/conf/alert-bridge/alert-bridge.properties");
    private static final Path DOCKERFILE = K8S.resolve("Dockerfile");
    private static final Path FLINK_LIB_POM = K8S.resolve("flink-lib/pom.xml");
    private static final Path COMPOSE_FILE = COMPOSE.resolve("docker-compose.yaml");
    private static final Path LOCAL_FLINK_CONF = ROOT.resolve("deploy/local/conf/flink/config.yaml");

    /** Every apiVersion/kind the manifests may use, by file. */
    private static final Map<Path, Set<String>> KINDS = Map.of(
            FLINK_DEPLOYMENT, Set.of("flink.apache.org/v1beta1 FlinkDeployment", "v1 PersistentVolumeClaim"),
            KAFKA,
                    Set.of(
                            "kafka.strimzi.io/v1beta2 Kafka",
                            "kafka.strimzi.io/v1beta2 KafkaNodePool",
                            "kafka.strimzi.io/v1beta2 KafkaTopic"),
            MODEL_STORE, Set.of("v1 PersistentVolumeClaim"),
            TRAINER, Set.of("batch/v1 CronJob", "v1 PersistentVolumeClaim"),
            MONITORING, Set.of("monitoring.coreos.com/v1 PodMonitor", "v1 ConfigMap", "apps/v1 Deployment"));

    /** Flink options the manifests pass to the job as arguments on purpose (the job hands them to Flink). */
    private static final Set<String> FLINK_JOB_ARGS = Set.of(CheckpointingOptions.CHECKPOINTING_INTERVAL.key());

    /** The optional scores topic has no default in the job; the manifests all call it this. */
    private static final String SCORES_TOPIC = "vigil-scores";

    private static final String OMP_NUM_THREADS =
            ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX + "OMP_NUM_THREADS";
    private static final List<String> DL4J_PACKAGES = List.of("org.nd4j.", "org.bytedeco.", "org.deeplearning4j.");

    // ---- parsing ------------------------------------------------------------------------------

    @Test
    void everyManifestParsesAndUsesTheExpectedKinds() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(K8S), Files.walk(COMPOSE))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        assertThat(files)
                .as("YAML files under deploy/k8s and deploy/compose")
                .contains(FLINK_DEPLOYMENT, KAFKA, MODEL_STORE, TRAINER, COMPOSE_FILE);
        for (Path file : files) {
            List<Map<String, Object>> docs = load(file);
            assertThat(docs).as("%s has no YAML document", file).isNotEmpty();
            if (file.startsWith(COMPOSE)) {
                continue;
            }
            Set<String> allowed = KINDS.get(file);
            assertThat(allowed)
                    .as("%s is a new manifest: add its kinds to DeploymentManifestsTest.KINDS", file)
                    .isNotNull();
            for (Map<String, Object> doc : docs) {
                String kind = str(doc, "apiVersion") + " " + str(doc, "kind");
                assertThat(allowed)
                        .as("%s: a document of %s (expected one of %s)", file, kind, allowed)
                        .contains(kind);
                assertThat(str(doc, "metadata", "name"))
                        .as("%s: %s without metadata.name", file, kind)
                        .isNotBlank();
            }
        }
        assertThat(docsOfKind(FLINK_DEPLOYMENT, "FlinkDeployment"))
                .as("%s: FlinkDeployments", FLINK_DEPLOYMENT)
                .hasSize(1);
        assertThat(docsOfKind(KAFKA, "Kafka")).as("%s: Kafka clusters", KAFKA).hasSize(1);
        assertThat(docsOfKind(TRAINER, "CronJob")).as("%s: CronJobs", TRAINER).hasSize(1);
        assertThat(services())
                .as("%s: services", COMPOSE_FILE)
                .containsKeys(
                        "kafka",
                        "topics",
                        "jobmanager",
                        "taskmanager",
                        "trainer",
                        "prometheus",
                        "alertmanager",
                        "alert-bridge");
    }

    // ---- the job: entry class, jar, image -----------------------------------------------------

    @Test
    void theFlinkDeploymentRunsTheJobClassInApplicationMode() throws Exception {
        Map<String, Object> job = map(flinkDeployment(), "spec", "job");
        assertThat(str(job, "entryClass"))
                .as("%s: spec.job.entryClass", FLINK_DEPLOYMENT)
                .isEqualTo(VigilJob.class.getName());
        Method main = VigilJob.class.getMethod("main", String[].class);
        assertThat(Modifier.isPublic(main.getModifiers())
                        && Modifier.isStatic(main.getModifiers())
                        && main.getReturnType() == void.class)
                .as("%s must have public static void main(String[]) to be an entry class", VigilJob.class)
                .isTrue();
        assertThat(str(job, "jarURI"))
                .as("%s: spec.job.jarURI (a jar inside the image)", FLINK_DEPLOYMENT)
                .startsWith("local:///opt/flink/usrlib/")
                .endsWith(".jar");
        assertThat(str(job, "upgradeMode"))
                .as("%s: spec.job.upgradeMode", FLINK_DEPLOYMENT)
                .isEqualTo("savepoint");
        assertThat(str(job, "state")).as("%s: spec.job.state", FLINK_DEPLOYMENT).isEqualTo("running");
        assertThat(((Number) job.get("parallelism")).intValue())
                .as("%s: spec.job.parallelism", FLINK_DEPLOYMENT)
                .isPositive();

        String[] flink = rootProperty("flink.version").split("\\.");
        assertThat(str(flinkDeployment(), "spec", "flinkVersion"))
                .as(
                        "%s: spec.flinkVersion must be the operator's enum value of the root pom's flink.version",
                        FLINK_DEPLOYMENT)
                .isEqualTo("v" + flink[0] + "_" + flink[1]);
        assertThat(str(flinkDeployment(), "spec", "mode"))
                .as("%s: spec.mode", FLINK_DEPLOYMENT)
                .isIn(null, "native");

        List<Object> compose = list(services().get("jobmanager"), "command");
        assertThat(compose.subList(0, 3))
                .as(
                        "%s: jobmanager command (application mode: the entrypoint's"
                                + " standalone-job with the entry class)",
                        COMPOSE_FILE)
                .containsExactly("standalone-job", "--job-classname", VigilJob.class.getName());
    }

    @Test
    void theDockerfileBuildsTheImageTheManifestsRun() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);

        Document jobPom = xml(ROOT.resolve("flink-job/pom.xml"));
        assertThat(text(jobPom, "shadedArtifactAttached"))
                .as("flink-job/pom.xml: the shade plugin must attach the" + " job jar beside the plain one")
                .isEqualTo("true");
        String classifier = text(jobPom, "shadedClassifierName");
        assertThat(classifier)
                .as("flink-job/pom.xml: shadedClassifierName (the Dockerfile copies *-job.jar)")
                .isEqualTo("job");
        assertThat(text(jobPom, "mainClass"))
                .as("flink-job/pom.xml: the job jar's Main-Class")
                .isEqualTo(VigilJob.class.getName());
        String jobJar = "flink-job/target/" + childText(jobPom.getDocumentElement(), "artifactId") + "-*-" + classifier
                + ".jar";

        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*\\S*?" + Pattern.quote(jobJar) + "\\s+(\\S+)\\s*$")
                .matcher(dockerfile);
        assertThat(copy.find())
                .as("%s must COPY the shaded job jar %s into the image", DOCKERFILE, jobJar)
                .isTrue();
        String target = copy.group(1);
        String jarUri = str(flinkDeployment(), "spec", "job", "jarURI");
        assertThat(target)
                .as("%s copies %s to %s, but %s runs jarURI %s", DOCKERFILE, jobJar, target, FLINK_DEPLOYMENT, jarUri)
                .isEqualTo(URI.create(jarUri).getPath());
        assertThat(target)
                .as(
                        "%s: the job jar must be in /opt/flink/usrlib/ (standalone-job in %s finds it there)",
                        DOCKERFILE, COMPOSE_FILE)
                .startsWith("/opt/flink/usrlib/");

        List<String> froms = matches(dockerfile, "(?m)^FROM\\s+(\\S+)");
        assertThat(froms).as("%s: FROM lines", DOCKERFILE).isNotEmpty();
        String flinkImage = froms.get(froms.size() - 1);
        assertThat(flinkImage)
                .as(
                        "%s: the last stage (the default target, the job image) must be the official"
                                + " image of the root pom's flink.version on the Java of maven.compiler.release",
                        DOCKERFILE)
                .isEqualTo("flink:" + rootProperty("flink.version") + "-java" + rootProperty("maven.compiler.release"));

        Map<String, String> args = new TreeMap<>();
        for (Matcher m = Pattern.compile("(?m)^ARG\\s+(\\w+)=(\\S+)").matcher(dockerfile); m.find(); ) {
            args.put(m.group(1), m.group(2));
        }
        Map<String, String> versionArgs = Map.of(
                "DL4J_VERSION",
                "dl4j.version",
                "JAVACPP_VERSION",
                "javacpp.version",
                "OPENBLAS_VERSION",
                "openblas.version");
        versionArgs.forEach((arg, property) -> {
            assertThat(args.get(arg))
                    .as("%s: ARG %s must be the root pom's %s", DOCKERFILE, arg, property)
                    .isEqualTo(rootProperty(property));
            assertThat(dockerfile)
                    .as("%s must pass ARG %s to the flink-lib build", DOCKERFILE, arg)
                    .contains("-D" + property + "=${" + arg + "}");
        });
        assertThat(dockerfile)
                .as("%s must resolve the lib/ jars with %s", DOCKERFILE, FLINK_LIB_POM)
                .contains("-f deploy/k8s/flink-lib/pom.xml");
        assertThat(flinkLibArtifacts())
                .as(
                        "%s: the DL4J/ND4J/JavaCPP/OpenBLAS artifacts for /opt/flink/lib must be"
                                + " those the scoring module uses",
                        FLINK_LIB_POM)
                .isEqualTo(dl4jArtifacts(ROOT.resolve("scoring/pom.xml")));

        String image = str(flinkDeployment(), "spec", "image");
        assertThat(image.substring(image.lastIndexOf('/') + 1))
                .as("%s: spec.image and the compose jobmanager/taskmanager image are the same image", FLINK_DEPLOYMENT)
                .isEqualTo(str(services().get("jobmanager"), "image"))
                .isEqualTo(str(services().get("taskmanager"), "image"));
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(str(services().get(service), "build", "dockerfile"))
                    .as("%s: %s must be built from deploy/k8s/Dockerfile", COMPOSE_FILE, service)
                    .isEqualTo("deploy/k8s/Dockerfile");
            assertThat(COMPOSE.resolve(str(services().get(service), "build", "context"))
                            .resolve("pom.xml")
                            .normalize())
                    .as("%s: %s's build context must be the repository root", COMPOSE_FILE, service)
                    .isEqualTo(ROOT.resolve("pom.xml").normalize());
        }
        assertThat(str(services().get("trainer"), "build", "target"))
                .as("%s: trainer build target", COMPOSE_FILE)
                .isEqualTo("trainer");
        assertThat(dockerfile)
                .as("%s: the trainer stage", DOCKERFILE)
                .containsPattern("(?m)^FROM\\s+\\S+\\s+AS\\s+trainer$");
        assertThat(dockerfile)
                .as("%s: the bridge stage, from the bridge's one jar", DOCKERFILE)
                .containsPattern("(?m)^FROM\\s+\\S+\\s+AS\\s+alert-bridge$")
                .contains(
                        "-pl flink-job,model-trainer,deploy/alert-bridge -am install",
                        "/src/deploy/alert-bridge/target/vigil-alert-bridge-*-app.jar");
        assertThat(str(services().get("alert-bridge"), "build", "target"))
                .as("%s: alert-bridge build target", COMPOSE_FILE)
                .isEqualTo("alert-bridge");
        String bridgeImage = str(docsOfKind(MONITORING, "Deployment").get(0), "spec", "template", "spec", "containers");
        assertThat(bridgeImage).as("%s: the bridge's image", MONITORING).contains("vigil-alert-bridge:0.1.0");
        assertThat(str(services().get("alert-bridge"), "image")).isEqualTo("vigil-alert-bridge:0.1.0");
    }

    // ---- metrics and alerting -----------------------------------------------------------------

    /** Flink's Prometheus reporter settings that Vigil's rules and dashboard rely on. */
    private static final List<String> REPORTER_SETTINGS = List.of(
            "metrics.reporters", "metrics.reporter.prom.filterLabelValueCharacters", "metrics.job.status.enable");

    private static final String REPORTER_FACTORY = "metrics.reporter.prom.factory.class";

    @Test
    void everyFlinkServesPrometheusMetricsAsTheLocalClusterDoes() throws IOException {
        Map<String, String> local = localFlinkConf();
        Map<String, String> k8s = flinkConfiguration();
        Map<String, String> compose = flinkProperties();
        for (String key : REPORTER_SETTINGS) {
            List<String> expected = listValue(local.get(key));
            assertThat(expected).as("%s sets %s", LOCAL_FLINK_CONF, key).isNotEmpty();
            assertThat(listValue(k8s.get(key)))
                    .as("%s: flinkConfiguration %s must be as in %s", FLINK_DEPLOYMENT, key, LOCAL_FLINK_CONF)
                    .isEqualTo(expected);
            assertThat(listValue(compose.get(key)))
                    .as("%s: FLINK_PROPERTIES %s must be as in %s", COMPOSE_FILE, key, LOCAL_FLINK_CONF)
                    .isEqualTo(expected);
        }
        assertThat(listValue(local.get("metrics.job.status.enable")))
                .as("VigilJobNotRunning reads runningState")
                .contains("STATE");
        // the same reporter everywhere: Flink's, bound to 127.0.0.1 by Vigil's factory locally
        assertThat(local.get(REPORTER_FACTORY))
                .as("%s: %s", LOCAL_FLINK_CONF, REPORTER_FACTORY)
                .isEqualTo(HostPrometheusReporterFactory.class.getName());
        assertThat(local.get("metrics.reporter.prom.host"))
                .as("%s: the reporter's host, @BIND_HOST@ (127.0.0.1)", LOCAL_FLINK_CONF)
                .isEqualTo("BIND_HOST");
        assertThat(k8s.get(REPORTER_FACTORY))
                .as("%s: %s", FLINK_DEPLOYMENT, REPORTER_FACTORY)
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .isEqualTo(compose.get(REPORTER_FACTORY));
        String k8sPort = k8s.get("metrics.reporter.prom.port");
        assertThat(String.valueOf(list(flinkContainer(), "ports").stream()
                        .map(p -> map(p))
                        .filter(p -> "metrics".equals(p.get("name")))
                        .findFirst()
                        .orElseThrow()
                        .get("containerPort")))
                .as("%s: the container port named metrics (the PodMonitor's) is the reporter's", FLINK_DEPLOYMENT)
                .isEqualTo(k8sPort);
        assertThat(str(docsOfKind(MONITORING, "PodMonitor").get(0), "spec", "selector", "matchLabels", "app"))
                .as("%s: the Flink PodMonitor selects the FlinkDeployment's pods", MONITORING)
                .isEqualTo(str(flinkDeployment(), "metadata", "name"));
        String prometheus = Files.readString(COMPOSE_PROMETHEUS);
        assertThat(prometheus)
                .as("%s scrapes the reporter's port of every Flink service", COMPOSE_PROMETHEUS)
                .contains("port: " + compose.get("metrics.reporter.prom.port"), "'jobmanager', 'taskmanager'");
        assertThat(volumes("prometheus"))
                .as("%s: prometheus mounts Vigil's rules", COMPOSE_FILE)
                .contains("../prometheus/vigil-rules.yml:/etc/prometheus/vigil-rules.yml:ro");
    }

    @Test
    void theAlertBridgesConfigurationsAreValidAndReadTheJobsAlertTopic() throws IOException {
        String jobAlerts = VigilOptions.TOPIC_ALERTS.defaultValue();
        Map<String, String> k8s = properties(String.valueOf(
                map(docsOfKind(MONITORING, "ConfigMap").get(0), "data").get("alert-bridge.properties")));
        Map<String, String> compose = properties(Files.readString(COMPOSE_BRIDGE));
        Map<String, String> local = properties(Files.readString(LOCAL_BRIDGE)
                .replace("@KAFKA_CLIENT_PROPERTIES_FILE@", "") // as vigil-local renders it for a plaintext broker
                .replaceAll("@[A-Z_]+@", "9999")
                .replace("http://9999:9999", "http://127.0.0.1:9999"));
        for (Map.Entry<String, Map<String, String>> e : Map.of(
                        MONITORING.toString(), k8s, COMPOSE_BRIDGE.toString(), compose, LOCAL_BRIDGE.toString(), local)
                .entrySet()) {
            BridgeConfig config;
            try {
                config = BridgeConfig.of(e.getValue());
            } catch (IllegalArgumentException ex) {
                config = fail("%s: the bridge refuses its configuration: %s", e.getKey(), ex.getMessage());
            }
            assertThat(config.topic())
                    .as("%s: kafka.topic is the job's alert topic", e.getKey())
                    .isEqualTo(jobAlerts);
        }
        assertThat(k8s.get("kafka.bootstrap-servers"))
                .as("%s: the job's brokers", MONITORING)
                .isEqualTo(options(FLINK_DEPLOYMENT.toString(), k8sArgs()).get("kafka.bootstrap-servers"));
        assertThat(compose.get("kafka.bootstrap-servers"))
                .as("%s: the job's brokers", COMPOSE_BRIDGE)
                .isEqualTo(options(COMPOSE_FILE.toString(), composeArgs()).get("kafka.bootstrap-servers"));
        assertThat(compose.get("alertmanager.url")).isEqualTo("http://alertmanager:9093");
        assertThat(volumes("alert-bridge")).contains("./alert-bridge.properties:/etc/vigil/alert-bridge.properties:ro");
    }

    private static Map<String, String> properties(String text) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(text));
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** A Flink list option however it is written: a YAML list, or items separated by ';'. */
    private static List<String> listValue(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.replaceAll("[\\[\\]]", "").split("[;,]"))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    // ---- the job's arguments ------------------------------------------------------------------

    @Test
    void jobArgumentsAreOptionsOfTheJob() {
        Set<String> known =
                VigilOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<String>> argLists = Map.of(
                FLINK_DEPLOYMENT + " spec.job.args", k8sArgs(), COMPOSE_FILE + " jobmanager command", composeArgs());
        argLists.forEach((where, args) -> {
            Map<String, String> options = options(where, args);
            for (String key : options.keySet()) {
                assertThat(known.contains(key)
                                || key.startsWith(VigilOptions.KAFKA_PROPERTIES_PREFIX)
                                || FLINK_JOB_ARGS.contains(key))
                        .as(
                                "%s: --%s is not an option of the job (VigilOptions.ALL: %s), nor a"
                                        + " --%s<name> Kafka client property, nor one of the Flink options %s that"
                                        + " DeploymentManifestsTest.FLINK_JOB_ARGS allows",
                                where, key, known, VigilOptions.KAFKA_PROPERTIES_PREFIX, FLINK_JOB_ARGS)
                        .isTrue();
            }
            for (ConfigOption<String> required :
                    List.of(VigilOptions.BOOTSTRAP_SERVERS, VigilOptions.MODEL_STORE, VigilOptions.MODEL_ID)) {
                assertThat(options)
                        .as("%s: the job needs --%s", where, required.key())
                        .containsKey(required.key());
            }
            JobConfig config = parse(where, args);
            assertThat(config.flinkSettings().keySet())
                    .as("%s: arguments the job passes on to Flink", where)
                    .isSubsetOf(FLINK_JOB_ARGS);
            assertThat(config.transactionTimeout())
                    .as("%s: sink.transaction-timeout must exceed the checkpoint" + " interval", where)
                    .isGreaterThan(checkpointInterval(config));
        });

        // The job's own default (10 s when the argument is missing) would override the cluster's setting.
        assertThat(duration(flinkConfiguration().get(CheckpointingOptions.CHECKPOINTING_INTERVAL.key())))
                .as(
                        "%s: flinkConfiguration %s and the --%s job argument must be equal",
                        FLINK_DEPLOYMENT,
                        CheckpointingOptions.CHECKPOINTING_INTERVAL.key(),
                        CheckpointingOptions.CHECKPOINTING_INTERVAL.key())
                .isEqualTo(checkpointInterval(parse(FLINK_DEPLOYMENT.toString(), k8sArgs())));
        assertThat(duration(flinkProperties().get(CheckpointingOptions.CHECKPOINTING_INTERVAL.key())))
                .as(
                        "%s: FLINK_PROPERTIES %s and the job argument must be equal",
                        COMPOSE_FILE, CheckpointingOptions.CHECKPOINTING_INTERVAL.key())
                .isEqualTo(checkpointInterval(parse(COMPOSE_FILE.toString(), composeArgs())));
        assertThat(options("k8s", k8sArgs()).get(VigilOptions.TRANSACTIONAL_ID_PREFIX.key()))
                .as(
                        "%s and %s: the two deployments' --%s must differ (they may share a broker)",
                        FLINK_DEPLOYMENT, COMPOSE_FILE, VigilOptions.TRANSACTIONAL_ID_PREFIX.key())
                .isNotEqualTo(options("compose", composeArgs()).get(VigilOptions.TRANSACTIONAL_ID_PREFIX.key()));
    }

    // ---- Kafka and the topics -----------------------------------------------------------------

    @Test
    void theTopicsTheJobUsesExistWithTheRightPolicies() {
        Set<String> expected = new TreeSet<>(List.of(
                VigilOptions.TOPIC_READINGS.defaultValue(),
                VigilOptions.TOPIC_ALERTS.defaultValue(),
                VigilOptions.TOPIC_DEAD_LETTER.defaultValue(),
                VigilOptions.TOPIC_MODEL_UPDATES.defaultValue(),
                SCORES_TOPIC));
        Map<String, Map<String, String>> k8sTopics = kafkaTopics();
        Map<String, Map<String, String>> composeTopics = composeTopics();
        assertThat(k8sTopics.keySet())
                .as("%s: KafkaTopic names (the job's default topic names and %s)", KAFKA, SCORES_TOPIC)
                .isEqualTo(expected);
        assertThat(composeTopics.keySet())
                .as("%s: topics the topics service creates", COMPOSE_FILE)
                .isEqualTo(expected);

        JobConfig k8s = parse(FLINK_DEPLOYMENT.toString(), k8sArgs());
        JobConfig compose = parse(COMPOSE_FILE.toString(), composeArgs());
        for (Map.Entry<String, String> e : options("k8s", k8sArgs()).entrySet()) {
            if (e.getKey().startsWith("topic.")) {
                assertThat(k8sTopics)
                        .as("%s: --%s %s is not a KafkaTopic of %s", FLINK_DEPLOYMENT, e.getKey(), e.getValue(), KAFKA)
                        .containsKey(e.getValue());
            }
        }
        for (Map.Entry<String, String> e : options("compose", composeArgs()).entrySet()) {
            if (e.getKey().startsWith("topic.")) {
                assertThat(composeTopics)
                        .as("%s: --%s %s is not created by the topics service", COMPOSE_FILE, e.getKey(), e.getValue())
                        .containsKey(e.getValue());
            }
        }
        for (JobConfig config : List.of(k8s, compose)) {
            List<String> used = new ArrayList<>(List.of(
                    config.readingsTopic(),
                    config.alertsTopic(),
                    config.deadLetterTopic(),
                    config.modelUpdatesTopic()));
            if (config.emitScores()) {
                used.add(config.scoresTopic());
            }
            assertThat(expected)
                    .as("topics a deployment's job uses (from its arguments or the VigilOptions"
                            + " defaults) must all be created")
                    .containsAll(used);
        }
        assertThat(trainerOption("publish", "--topic"))
                .as("%s: publish --topic must be the job's model-updates topic (and the trainer's default)", TRAINER)
                .isEqualTo(k8s.modelUpdatesTopic())
                .isEqualTo(PublishOptions.DEFAULT_TOPIC);

        String modelUpdates = VigilOptions.TOPIC_MODEL_UPDATES.defaultValue();
        assertThat(k8sTopics.get(modelUpdates).get("cleanup.policy"))
                .as("%s: %s must be compacted", KAFKA, modelUpdates)
                .isEqualTo("compact");
        assertThat(composeTopics.get(modelUpdates).get("cleanup.policy"))
                .as("%s: %s must be created with --config cleanup.policy=compact", COMPOSE_FILE, modelUpdates)
                .isEqualTo("compact");
        for (String topic : expected) {
            if (!topic.equals(modelUpdates)) {
                for (Map.Entry<String, Map<String, Map<String, String>>> where : Map.of(
                                KAFKA.toString(), k8sTopics, COMPOSE_FILE.toString(), composeTopics)
                        .entrySet()) {
                    Map<String, String> config = where.getValue().get(topic);
                    assertThat(config.get("cleanup.policy"))
                            .as("%s: %s cleanup.policy", where.getKey(), topic)
                            .isEqualTo("delete");
                    assertThat(config.get("retention.ms"))
                            .as("%s: %s needs a retention.ms", where.getKey(), topic)
                            .isNotNull()
                            .matches("\\d+");
                }
            }
        }
    }

    @Test
    void kafkaIsTheRootPomVersionInKraftModeAndReachableByTheJob() {
        Map<String, Object> kafka = docsOfKind(KAFKA, "Kafka").get(0);
        String cluster = str(kafka, "metadata", "name");
        String version = rootProperty("kafka.version");
        assertThat(str(kafka, "spec", "kafka", "version"))
                .as("%s: spec.kafka.version must be the root pom's" + " kafka.version", KAFKA)
                .isEqualTo(version);
        assertThat(map(kafka, "spec"))
                .as("%s: KRaft only (no ZooKeeper)", KAFKA)
                .doesNotContainKey("zookeeper");
        Set<String> roles = new TreeSet<>();
        for (Map<String, Object> pool : docsOfKind(KAFKA, "KafkaNodePool")) {
            assertThat(str(pool, "metadata", "labels", "strimzi.io/cluster"))
                    .as("%s: KafkaNodePool %s must name the Kafka cluster", KAFKA, str(pool, "metadata", "name"))
                    .isEqualTo(cluster);
            list(pool, "spec", "roles").forEach(r -> roles.add((String) r));
        }
        assertThat(roles)
                .as("%s: node pool roles (KRaft needs controllers and brokers)", KAFKA)
                .contains("broker", "controller");
        for (Map<String, Object> topic : docsOfKind(KAFKA, "KafkaTopic")) {
            assertThat(str(topic, "metadata", "labels", "strimzi.io/cluster"))
                    .as("%s: KafkaTopic %s must name the Kafka cluster", KAFKA, str(topic, "metadata", "name"))
                    .isEqualTo(cluster);
        }

        JobConfig k8s = parse(FLINK_DEPLOYMENT.toString(), k8sArgs());
        List<Integer> plainPorts = new ArrayList<>();
        for (Object l : list(kafka, "spec", "kafka", "listeners")) {
            if (!Boolean.TRUE.equals(map(l).get("tls"))) {
                plainPorts.add(((Number) map(l).get("port")).intValue());
            }
        }
        assertThat(plainPorts.stream()
                        .map(p -> cluster + "-kafka-bootstrap:" + p)
                        .toList())
                .as(
                        "%s: --kafka.bootstrap-servers must be the Strimzi bootstrap service of %s on a plain listener"
                                + " (or add --kafka.properties.security.protocol and adapt this test)",
                        FLINK_DEPLOYMENT, KAFKA)
                .contains(k8s.bootstrapServers());
        assertThat(trainerOption("publish", "--bootstrap-servers"))
                .as("%s: publish --bootstrap-servers", TRAINER)
                .isEqualTo(k8s.bootstrapServers());
        long maxTimeout = Long.parseLong(
                String.valueOf(map(kafka, "spec", "kafka", "config").get("transaction.max.timeout.ms")));
        assertThat(Duration.ofMillis(maxTimeout))
                .as("%s: transaction.max.timeout.ms must exceed the job's" + " sink.transaction-timeout", KAFKA)
                .isGreaterThan(k8s.transactionTimeout());

        Map<String, Object> broker = services().get("kafka");
        assertThat(str(broker, "image"))
                .as("%s: the broker image must be the root pom's kafka.version", COMPOSE_FILE)
                .isEqualTo("apache/kafka:" + version);
        assertThat(str(services().get("topics"), "image"))
                .as("%s: topics service image", COMPOSE_FILE)
                .isEqualTo("apache/kafka:" + version);
        Map<String, Object> env = map(broker, "environment");
        assertThat(String.valueOf(env.get("KAFKA_PROCESS_ROLES")))
                .as("%s: kafka runs in KRaft mode", COMPOSE_FILE)
                .isEqualTo("broker,controller");
        JobConfig compose = parse(COMPOSE_FILE.toString(), composeArgs());
        assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")))
                .as("%s: the job's --kafka.bootstrap-servers must be an advertised listener", COMPOSE_FILE)
                .contains("://" + compose.bootstrapServers());
        assertThat(Duration.ofMillis(Long.parseLong(String.valueOf(env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS")))))
                .as("%s: KAFKA_TRANSACTION_MAX_TIMEOUT_MS must exceed the job's sink.transaction-timeout", COMPOSE_FILE)
                .isGreaterThan(compose.transactionTimeout());
    }

    // ---- Flink settings ---------------------------------------------------------------------

    @Test
    void flinkSettingsAreThoseOfTheLocalCluster() {
        Map<String, String> local = localFlinkConf();
        Map<String, String> k8s = flinkConfiguration();
        Map<String, String> compose = flinkProperties();

        List<ConfigOption<?>> sameEverywhere = List.of(
                TaskManagerOptions.NUM_TASK_SLOTS,
                TaskManagerOptions.JVM_METASPACE,
                TaskManagerOptions.JVM_OVERHEAD_MIN,
                TaskManagerOptions.JVM_OVERHEAD_MAX,
                TaskManagerOptions.TASK_OFF_HEAP_MEMORY,
                TaskManagerOptions.NETWORK_MEMORY_MIN,
                TaskManagerOptions.NETWORK_MEMORY_MAX,
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                CheckpointingOptions.MAX_RETAINED_CHECKPOINTS);
        for (ConfigOption<?> option : sameEverywhere) {
            String expected = local.get(option.key());
            assertThat(expected)
                    .as("%s sets %s", LOCAL_FLINK_CONF, option.key())
                    .isNotNull();
            assertThat(normalise(k8s.get(option.key())))
                    .as("%s: flinkConfiguration %s must be as in %s", FLINK_DEPLOYMENT, option.key(), LOCAL_FLINK_CONF)
                    .isEqualTo(normalise(expected));
            assertThat(normalise(compose.get(option.key())))
                    .as("%s: FLINK_PROPERTIES %s must be as in %s", COMPOSE_FILE, option.key(), LOCAL_FLINK_CONF)
                    .isEqualTo(normalise(expected));
        }
        MemorySize tmProcess = MemorySize.parse(local.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY.key()));
        assertThat(MemorySize.parse(str(flinkDeployment(), "spec", "taskManager", "resource", "memory")))
                .as(
                        "%s: spec.taskManager.resource.memory is the TaskManager process size of %s",
                        FLINK_DEPLOYMENT, LOCAL_FLINK_CONF)
                .isEqualTo(tmProcess);
        assertThat(MemorySize.parse(compose.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY.key())))
                .as("%s: %s", COMPOSE_FILE, TaskManagerOptions.TOTAL_PROCESS_MEMORY.key())
                .isEqualTo(tmProcess);
        MemorySize jmProcess = MemorySize.parse(local.get(JobManagerOptions.TOTAL_PROCESS_MEMORY.key()));
        assertThat(MemorySize.parse(str(flinkDeployment(), "spec", "jobManager", "resource", "memory")))
                .as("%s: spec.jobManager.resource.memory", FLINK_DEPLOYMENT)
                .isEqualTo(jmProcess);
        assertThat(MemorySize.parse(compose.get(JobManagerOptions.TOTAL_PROCESS_MEMORY.key())))
                .as("%s: %s", COMPOSE_FILE, JobManagerOptions.TOTAL_PROCESS_MEMORY.key())
                .isEqualTo(jmProcess);

        String patterns = CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL.key();
        for (Map.Entry<String, String> where : Map.of(
                        FLINK_DEPLOYMENT.toString(),
                        k8s.getOrDefault(patterns, ""),
                        COMPOSE_FILE.toString(),
                        compose.getOrDefault(patterns, ""),
                        LOCAL_FLINK_CONF.toString(),
                        local.getOrDefault(patterns, ""))
                .entrySet()) {
            assertThat(Arrays.asList(where.getValue().split(";")))
                    .as("%s: %s (DL4J is in lib/, loaded parent-first)", where.getKey(), patterns)
                    .containsAll(DL4J_PACKAGES);
        }

        assertThat(k8s.get(OMP_NUM_THREADS))
                .as("%s: flinkConfiguration %s", FLINK_DEPLOYMENT, OMP_NUM_THREADS)
                .isEqualTo("1");
        assertThat(local.get(OMP_NUM_THREADS))
                .as("%s: %s", LOCAL_FLINK_CONF, OMP_NUM_THREADS)
                .isEqualTo("1");
        assertThat(String.valueOf(
                        map(services().get("taskmanager"), "environment").get("OMP_NUM_THREADS")))
                .as(
                        "%s: taskmanager environment OMP_NUM_THREADS (standalone ignores %s)",
                        COMPOSE_FILE, ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX)
                .isEqualTo("1");

        assertThat(tokens(k8s.get(CoreOptions.FLINK_JVM_OPTIONS.key())))
                .as(
                        "%s: %s must carry the Java 17 module flags of %s (the operator does not read the image's"
                                + " config.yaml)",
                        FLINK_DEPLOYMENT, CoreOptions.FLINK_JVM_OPTIONS.key(), LOCAL_FLINK_CONF)
                .isEqualTo(tokens(local.get(CoreOptions.FLINK_JVM_OPTIONS.key())));
    }

    @Test
    void javacppIsCachedOnAVolumeAndLimitedToTheMemoryBudget() {
        String tmOpts = CoreOptions.FLINK_TM_JVM_OPTIONS.key();
        Map<String, Map<String, String>> settings =
                Map.of(FLINK_DEPLOYMENT.toString(), flinkConfiguration(), COMPOSE_FILE.toString(), flinkProperties());
        Map<String, MemorySize> process = Map.of(
                FLINK_DEPLOYMENT.toString(),
                MemorySize.parse(str(flinkDeployment(), "spec", "taskManager", "resource", "memory")),
                COMPOSE_FILE.toString(),
                MemorySize.parse(flinkProperties().get(TaskManagerOptions.TOTAL_PROCESS_MEMORY.key())));
        Map<String, List<String>> mounts = Map.of(
                FLINK_DEPLOYMENT.toString(),
                new ArrayList<>(podMounts().keySet()),
                COMPOSE_FILE.toString(),
                composeMounts("taskmanager"));
        settings.forEach((where, conf) -> {
            Map<String, String> props = systemProperties(conf.get(tmOpts));
            assertThat(props)
                    .as("%s: %s must set JavaCPP's cache dir and limits", where, tmOpts)
                    .containsKeys(
                            "org.bytedeco.javacpp.cachedir",
                            "org.bytedeco.javacpp.maxbytes",
                            "org.bytedeco.javacpp.maxphysicalbytes");
            assertThat(mounts.get(where))
                    .as("%s: JavaCPP's cache dir must be a volume of the TaskManagers", where)
                    .contains(props.get("org.bytedeco.javacpp.cachedir"));
            assertThat(MemorySize.parse(props.get("org.bytedeco.javacpp.maxbytes")))
                    .as(
                            "%s: -Dorg.bytedeco.javacpp.maxbytes must be %s",
                            where, TaskManagerOptions.TASK_OFF_HEAP_MEMORY.key())
                    .isEqualTo(MemorySize.parse(conf.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY.key())));
            assertThat(MemorySize.parse(props.get("org.bytedeco.javacpp.maxphysicalbytes")))
                    .as("%s: -Dorg.bytedeco.javacpp.maxphysicalbytes must be the TaskManager process size", where)
                    .isEqualTo(process.get(where));
        });
    }

    @Test
    void checkpointsAndSavepointsGoToPersistentStorage() {
        Map<String, String> k8s = flinkConfiguration();
        Map<String, String> compose = flinkProperties();
        List<String> k8sVolumes = podMounts().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey)
                .toList(); // PVC-backed mounts
        List<ConfigOption<String>> dirs =
                List.of(CheckpointingOptions.CHECKPOINTS_DIRECTORY, CheckpointingOptions.SAVEPOINT_DIRECTORY);
        for (ConfigOption<String> dir : dirs) {
            persistent(FLINK_DEPLOYMENT + " flinkConfiguration " + dir.key(), k8s.get(dir.key()), k8sVolumes);
            for (String service : List.of("jobmanager", "taskmanager")) { // both write checkpoint data
                persistent(
                        COMPOSE_FILE + " FLINK_PROPERTIES " + dir.key() + " (mounted by " + service + ")",
                        compose.get(dir.key()),
                        composeMounts(service));
            }
        }
        assertThat(k8s.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()))
                .as("%s: checkpoints and savepoints in different directories", FLINK_DEPLOYMENT)
                .isNotEqualTo(k8s.get(CheckpointingOptions.SAVEPOINT_DIRECTORY.key()));
        if (k8s.containsKey(HighAvailabilityOptions.HA_MODE.key())) {
            persistent(
                    FLINK_DEPLOYMENT + " " + HighAvailabilityOptions.HA_STORAGE_PATH.key(),
                    k8s.get(HighAvailabilityOptions.HA_STORAGE_PATH.key()),
                    k8sVolumes);
        }
        assertThat(flinkPropertiesText())
                .as("%s: the optional restore line of FLINK_PROPERTIES", COMPOSE_FILE)
                .contains("${VIGIL_RESTORE_FROM:+" + StateRecoveryOptions.SAVEPOINT_PATH.key()
                        + ": ${VIGIL_RESTORE_FROM}}");
        String claim = str(podVolume("flink-state"), "persistentVolumeClaim", "claimName");
        Map<String, Object> pvc = docsOfKind(FLINK_DEPLOYMENT, "PersistentVolumeClaim").stream()
                .filter(d -> claim.equals(str(d, "metadata", "name")))
                .findFirst()
                .orElseGet(() -> fail("%s mounts claim %s, which it does not define", FLINK_DEPLOYMENT, claim));
        assertThat(list(pvc, "spec", "accessModes"))
                .as("%s: claim %s is mounted by every Flink pod", FLINK_DEPLOYMENT, claim)
                .contains("ReadWriteMany");
    }

    // ---- the model store ------------------------------------------------------------------------

    @Test
    void theModelStoreIsOneVolumeAtOnePathForTrainerAndJob() {
        Map<String, Object> pvc = load(MODEL_STORE).get(0);
        String claim = str(pvc, "metadata", "name");
        assertThat(list(pvc, "spec", "accessModes"))
                .as("%s: the store is shared by pods on several nodes", MODEL_STORE)
                .contains("ReadWriteMany");

        JobConfig k8s = parse(FLINK_DEPLOYMENT.toString(), k8sArgs());
        String store = localPath(k8s.modelStore());
        Map<String, Object> flinkMount = podMount(claim);
        assertThat(str(flinkMount, "mountPath"))
                .as("%s: claim %s must be mounted where --model.store points", FLINK_DEPLOYMENT, claim)
                .isEqualTo(store);
        assertThat(flinkMount.get("readOnly"))
                .as("%s: the job reads the store only", FLINK_DEPLOYMENT)
                .isEqualTo(true);

        Map<String, Object> pod = cronJobPod();
        Map<String, Object> publish = map(pod, "containers", "publish");
        String volume = list(pod, "volumes").stream()
                .map(DeploymentManifestsTest::map)
                .filter(v -> claim.equals(str(v, "persistentVolumeClaim", "claimName")))
                .map(v -> str(v, "name"))
                .findFirst()
                .orElseGet(() -> fail("%s does not mount claim %s", TRAINER, claim));
        Map<String, Object> trainerMount = list(publish, "volumeMounts").stream()
                .map(DeploymentManifestsTest::map)
                .filter(m -> volume.equals(m.get("name")))
                .findFirst()
                .orElseGet(() -> fail("%s: the publish container does not mount volume %s", TRAINER, volume));
        assertThat(str(trainerMount, "mountPath"))
                .as(
                        "%s: the trainer must mount the store at the job's path (the"
                                + " announcement carries the trainer's path)",
                        TRAINER)
                .isEqualTo(store);
        assertThat(trainerMount.get("readOnly"))
                .as("%s: publish writes the store", TRAINER)
                .isIn(null, false);
        assertThat(trainerOption("publish", "--store"))
                .as("%s: publish --store", TRAINER)
                .isEqualTo(store);
        assertThat(trainerOption("train", "--model-id"))
                .as("%s: train --model-id must be the job's --model.id", TRAINER)
                .isEqualTo(k8s.modelId());
        assertThat(trainerOption("publish", "--bundle"))
                .as("%s: publish --bundle must be what train --output wrote", TRAINER)
                .isEqualTo(trainerOption("train", "--output"));
        for (String step : List.of("train", "publish")) {
            try {
                new CommandLine(new TrainerCli()).parseArgs(trainerArgs(step).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                fail(
                        "%s: the %s step's args are not a valid vigil-trainer command line: %s",
                        TRAINER, step, e.getMessage());
            }
        }

        JobConfig compose = parse(COMPOSE_FILE.toString(), composeArgs());
        String composeStore = localPath(compose.modelStore());
        assertThat(composeStore)
                .as("%s and %s: one store path", COMPOSE_FILE, FLINK_DEPLOYMENT)
                .isEqualTo(store);
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(volumes(service))
                    .as("%s: %s mounts the store read-only at --model.store", COMPOSE_FILE, service)
                    .contains("model-store:" + composeStore + ":ro");
        }
        assertThat(volumes("trainer"))
                .as("%s: the trainer mounts the store read-write at the same path", COMPOSE_FILE)
                .contains("model-store:" + composeStore);
    }

    // ---- helpers: the manifests ---------------------------------------------------------------

    private static Map<String, Object> flinkDeployment() {
        return docsOfKind(FLINK_DEPLOYMENT, "FlinkDeployment").get(0);
    }

    private static Map<String, String> flinkConfiguration() {
        Map<String, String> out = new TreeMap<>();
        map(flinkDeployment(), "spec", "flinkConfiguration").forEach((k, v) -> {
            assertThat(v)
                    .as("%s: flinkConfiguration %s must be a string (quote numbers)", FLINK_DEPLOYMENT, k)
                    .isInstanceOf(String.class);
            out.put(k, (String) v);
        });
        return out;
    }

    private static List<String> k8sArgs() {
        return list(flinkDeployment(), "spec", "job", "args").stream()
                .map(String::valueOf)
                .toList();
    }

    /** mountPath -> claim name (null for other volume types) of the Flink pods' main container. */
    private static Map<String, String> podMounts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object m : list(flinkContainer(), "volumeMounts")) {
            Map<String, Object> volume = podVolume(str(map(m), "name"));
            out.put(
                    str(map(m), "mountPath"),
                    volume.containsKey("persistentVolumeClaim")
                            ? str(volume, "persistentVolumeClaim", "claimName")
                            : null);
        }
        return out;
    }

    private static Map<String, Object> podMount(String claim) {
        for (Object m : list(flinkContainer(), "volumeMounts")) {
            Map<String, Object> volume = podVolume(str(map(m), "name"));
            if (volume.containsKey("persistentVolumeClaim")
                    && claim.equals(str(volume, "persistentVolumeClaim", "claimName"))) {
                return map(m);
            }
        }
        return fail("%s: the Flink pods do not mount claim %s", FLINK_DEPLOYMENT, claim);
    }

    private static Map<String, Object> flinkContainer() {
        return list(flinkDeployment(), "spec", "podTemplate", "spec", "containers").stream()
                .map(DeploymentManifestsTest::map)
                .filter(c -> "flink-main-container".equals(c.get("name")))
                .findFirst()
                .orElseGet(
                        () -> fail("%s: spec.podTemplate needs the container flink-main-container", FLINK_DEPLOYMENT));
    }

    private static Map<String, Object> podVolume(String name) {
        return list(flinkDeployment(), "spec", "podTemplate", "spec", "volumes").stream()
                .map(DeploymentManifestsTest::map)
                .filter(v -> name.equals(v.get("name")))
                .findFirst()
                .orElseGet(() -> fail("%s: spec.podTemplate has no volume %s", FLINK_DEPLOYMENT, name));
    }

    private static Map<String, Object> cronJobPod() {
        return map(docsOfKind(TRAINER, "CronJob").get(0), "spec", "jobTemplate", "spec", "template", "spec");
    }

    /** A step's args: "train" (the init container) or "publish" (the container). */
    private static List<String> trainerArgs(String step) {
        Map<String, Object> pod = cronJobPod();
        Stream<Object> containers =
                Stream.concat(list(pod, "initContainers").stream(), list(pod, "containers").stream());
        Map<String, Object> container = containers
                .map(DeploymentManifestsTest::map)
                .filter(c -> step.equals(c.get("name")))
                .findFirst()
                .orElseGet(() -> fail("%s: no container named %s", TRAINER, step));
        List<String> args =
                list(container, "args").stream().map(String::valueOf).toList();
        assertThat(args)
                .as("%s: %s container args", TRAINER, step)
                .isNotEmpty()
                .first()
                .isEqualTo(step);
        return args;
    }

    private static String trainerOption(String step, String option) {
        List<String> args = trainerArgs(step);
        int i = args.indexOf(option);
        assertThat(i)
                .as("%s: the %s step has no %s", TRAINER, step, option)
                .isNotNegative()
                .isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static Map<String, Map<String, String>> kafkaTopics() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Map<String, Object> t : docsOfKind(KAFKA, "KafkaTopic")) {
            String name =
                    str(t, "spec", "topicName") != null ? str(t, "spec", "topicName") : str(t, "metadata", "name");
            Map<String, String> config = new TreeMap<>();
            map(t, "spec", "config").forEach((k, v) -> config.put(k, String.valueOf(v)));
            assertThat(out.put(name, config))
                    .as("%s: topic %s twice", KAFKA, name)
                    .isNull();
        }
        return out;
    }

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        map(load(COMPOSE_FILE).get(0), "services").forEach((k, v) -> out.put(k, map(v)));
        return out;
    }

    /** The job's arguments: what follows the entry class in the jobmanager's standalone-job command. */
    private static List<String> composeArgs() {
        List<String> command = list(services().get("jobmanager"), "command").stream()
                .map(String::valueOf)
                .toList();
        int cls = command.indexOf("--job-classname");
        assertThat(cls)
                .as("%s: jobmanager command needs --job-classname", COMPOSE_FILE)
                .isNotNegative();
        return command.subList(cls + 2, command.size());
    }

    /** Topic name -> --config settings, from the topics service's kafka-topics.sh --create lines. */
    private static Map<String, Map<String, String>> composeTopics() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        String script = list(services().get("topics"), "command").stream()
                .map(String::valueOf)
                .collect(Collectors.joining("\n"));
        for (String line : script.split("\n")) {
            if (!line.contains("--create")) {
                continue;
            }
            Matcher topic = Pattern.compile("--topic\\s+(\\S+)").matcher(line);
            assertThat(topic.find())
                    .as("%s: topics line without --topic: %s", COMPOSE_FILE, line)
                    .isTrue();
            Map<String, String> config = new TreeMap<>();
            for (Matcher c = Pattern.compile("--config\\s+([^=\\s]+)=(\\S+)").matcher(line); c.find(); ) {
                config.put(c.group(1), c.group(2));
            }
            assertThat(out.put(topic.group(1), config))
                    .as("%s: topic %s created twice", COMPOSE_FILE, topic.group(1))
                    .isNull();
        }
        return out;
    }

    private static String flinkPropertiesText() {
        return String.valueOf(map(services().get("jobmanager"), "environment").get("FLINK_PROPERTIES"));
    }

    /** FLINK_PROPERTIES of the compose Flink services (one block for both), as key -> value. */
    private static Map<String, String> flinkProperties() {
        String text = flinkPropertiesText();
        assertThat(map(services().get("taskmanager"), "environment").get("FLINK_PROPERTIES"))
                .as("%s: the JobManager and the TaskManagers share one FLINK_PROPERTIES", COMPOSE_FILE)
                .isEqualTo(text);
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("${")) {
                continue;
            }
            int colon = l.indexOf(": ");
            assertThat(colon)
                    .as("%s: FLINK_PROPERTIES line '%s' is not 'key: value'", COMPOSE_FILE, l)
                    .isPositive();
            out.put(l.substring(0, colon), l.substring(colon + 2).strip());
        }
        return out;
    }

    private static List<String> volumes(String service) {
        return list(services().get(service), "volumes").stream()
                .map(String::valueOf)
                .toList();
    }

    /** Container paths of a compose service's named volumes. */
    private static List<String> composeMounts(String service) {
        return volumes(service).stream()
                .filter(v -> !v.startsWith(".") && !v.startsWith("/"))
                .map(v -> v.split(":")[1])
                .toList();
    }

    // ---- helpers: options, values ---------------------------------------------------------------

    /** {@code --key value} / {@code --key=value} pairs, in order, failing on anything else. */
    private static Map<String, String> options(String where, List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            assertThat(a)
                    .as("%s: '%s' at position %d is not a --key", where, a, i)
                    .startsWith("--");
            String key = a.substring(2);
            String value;
            if (key.contains("=")) {
                value = key.substring(key.indexOf('=') + 1);
                key = key.substring(0, key.indexOf('='));
            } else {
                assertThat(i + 1).as("%s: --%s has no value", where, key).isLessThan(args.size());
                value = args.get(++i);
            }
            assertThat(out.put(key, value))
                    .as("%s: --%s given twice", where, key)
                    .isNull();
        }
        return out;
    }

    private static JobConfig parse(String where, List<String> args) {
        try {
            return JobConfig.fromArgs(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            return fail("%s: the job refuses these arguments: %s", where, e.getMessage());
        }
    }

    private static Duration checkpointInterval(JobConfig config) {
        String interval = config.flinkSettings().get(CheckpointingOptions.CHECKPOINTING_INTERVAL.key());
        return interval == null ? Duration.ofSeconds(10) : duration(interval);
    }

    private static Duration duration(String value) {
        assertThat(value).as("a duration").isNotNull();
        return TimeUtils.parseDuration(value);
    }

    private static void persistent(String what, String uri, List<String> volumePaths) {
        assertThat(uri).as("%s must be set", what).isNotBlank();
        URI u = URI.create(uri);
        if (u.getScheme() == null || "file".equals(u.getScheme())) {
            assertThat(volumePaths.stream().anyMatch(p -> u.getPath().startsWith(p + "/")))
                    .as("%s = %s is a local path: it must lie on a persistent volume (%s)", what, uri, volumePaths)
                    .isTrue();
        }
    }

    /** A path for a local store given as a path or a file:// URI. */
    private static String localPath(String store) {
        URI u = URI.create(store);
        assertThat(u.getScheme())
                .as("this test expects a mounted model store, not %s", store)
                .isIn(null, "file");
        return u.getPath().endsWith("/") ? u.getPath().substring(0, u.getPath().length() - 1) : u.getPath();
    }

    private static Map<String, String> systemProperties(String jvmOptions) {
        Map<String, String> out = new TreeMap<>();
        for (String t : tokens(jvmOptions)) {
            if (t.startsWith("-D") && t.contains("=")) {
                out.put(t.substring(2, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
        }
        return out;
    }

    private static List<String> tokens(String s) {
        return s == null ? List.of() : Arrays.asList(s.strip().split("\\s+"));
    }

    /** Memory sizes compared by bytes, lists as ';'-joined, the rest as is. */
    private static String normalise(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MemorySize.parse(value).getBytes() + " bytes";
        } catch (IllegalArgumentException notAMemorySize) {
            return value;
        }
    }

    /** deploy/local's Flink configuration template, its @PLACEHOLDER@s (not valid YAML) replaced by their names. */
    private static Map<String, String> localFlinkConf() {
        try {
            String text = Files.readString(LOCAL_FLINK_CONF).replaceAll("@([A-Z_]+)@", "$1");
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            return flatten(yaml);
        } catch (IOException | RuntimeException e) {
            return fail("Cannot read " + LOCAL_FLINK_CONF.toAbsolutePath() + " as YAML: " + e.getMessage(), e);
        }
    }

    /** Flat Flink keys of a (possibly nested) YAML config; lists become ';'-joined strings. */
    private static Map<String, String> flatten(Map<String, Object> yaml) {
        Map<String, String> out = new TreeMap<>();
        flatten("", yaml, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, Object> yaml, Map<String, String> out) {
        yaml.forEach((k, v) -> {
            if (v instanceof Map<?, ?>) {
                flatten(prefix + k + ".", map(v), out);
            } else if (v instanceof List<?> l) {
                out.put(prefix + k, l.stream().map(String::valueOf).collect(Collectors.joining(";")));
            } else {
                out.put(prefix + k, String.valueOf(v));
            }
        });
    }

    // ---- helpers: YAML, XML ---------------------------------------------------------------------

    private static List<Map<String, Object>> load(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            int i = 0;
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                i++;
                if (doc == null) {
                    continue; // an empty document, e.g. before a leading ---
                }
                assertThat(doc)
                        .as("%s: YAML document %d is not a mapping", file, i)
                        .isInstanceOf(Map.class);
                docs.add(map(doc));
            }
        } catch (IOException e) {
            return fail("Cannot read " + file.toAbsolutePath(), e);
        } catch (RuntimeException e) {
            return fail(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    private static List<Map<String, Object>> docsOfKind(Path file, String kind) {
        return load(file).stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Object at(Object node, String... path) {
        Object o = node;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(p);
        }
        return o;
    }

    /** The mapping at {@code path}; a name after a list selects the item with that {@code name}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... path) {
        Object o = node;
        for (String p : path) {
            if (o instanceof List<?> l) {
                o = l.stream()
                        .filter(i -> i instanceof Map<?, ?> m && p.equals(m.get("name")))
                        .findFirst()
                        .orElse(null);
            } else {
                o = at(o, p);
            }
            if (o == null) {
                return fail("missing %s (looking for %s)", p, String.join(".", path));
            }
        }
        assertThat(o).as("%s is a mapping", String.join(".", path)).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, String... path) {
        Object o = path.length == 0 ? node : at(map(node, Arrays.copyOf(path, path.length - 1)), path[path.length - 1]);
        assertThat(o).as("%s is a list", String.join(".", path)).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static String str(Object node, String... path) {
        Object o = at(node, path);
        return o == null ? null : String.valueOf(o);
    }

    private static List<String> matches(String text, String regex) {
        List<String> out = new ArrayList<>();
        for (Matcher m = Pattern.compile(regex).matcher(text); m.find(); ) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String rootProperty(String name) {
        Node n = childElement(childElement(xml(ROOT.resolve("pom.xml")).getDocumentElement(), "properties"), name);
        assertThat(n).as("the root pom has no property %s", name).isNotNull();
        return n.getTextContent().strip();
    }

    /** groupId:artifactId[:classifier] of the DL4J stack (org.deeplearning4j, org.nd4j, org.bytedeco) a pom declares. */
    private static Set<String> dl4jArtifacts(Path pom) {
        Set<String> out = new TreeSet<>();
        Element deps = childElement(xml(pom).getDocumentElement(), "dependencies");
        NodeList list = deps.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            if (d.getParentNode() != deps) {
                continue;
            }
            String group = childText(d, "groupId");
            if (Set.of("org.deeplearning4j", "org.nd4j", "org.bytedeco").contains(group)) {
                String classifier = childText(d, "classifier");
                out.add(group + ":" + childText(d, "artifactId") + (classifier == null ? "" : ":" + classifier));
            }
        }
        return out;
    }

    /** The flink-lib pom's artifacts, checking that their versions are the root pom's properties. */
    private static Set<String> flinkLibArtifacts() {
        Document pom = xml(FLINK_LIB_POM);
        Element parent = childElement(pom.getDocumentElement(), "parent");
        assertThat(FLINK_LIB_POM
                        .getParent()
                        .resolve(childText(parent, "relativePath"))
                        .normalize())
                .as("%s: the parent must be the root pom (the versions come from there)", FLINK_LIB_POM)
                .isEqualTo(ROOT.resolve("pom.xml").normalize());
        Map<String, String> versionProperty = Map.of(
                "org.deeplearning4j",
                "${dl4j.version}",
                "org.nd4j",
                "${dl4j.version}",
                "org.bytedeco:openblas",
                "${openblas.version}",
                "org.bytedeco:javacpp",
                "${javacpp.version}");
        Element deps = childElement(pom.getDocumentElement(), "dependencies");
        NodeList list = deps.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            String ga = childText(d, "groupId") + ":" + childText(d, "artifactId");
            String expected = versionProperty.getOrDefault(ga, versionProperty.get(childText(d, "groupId")));
            assertThat(childText(d, "version"))
                    .as("%s: the version of %s", FLINK_LIB_POM, ga)
                    .isEqualTo(expected);
        }
        return dl4jArtifacts(FLINK_LIB_POM);
    }

    private static Document xml(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            return fail("Cannot parse " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** The text of the first element of that name anywhere in the document. */
    private static String text(Document doc, String tag) {
        NodeList n = doc.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
    }

    private static Element childElement(Element parent, String tag) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String tag) {
        Element e = childElement(parent, tag);
        return e == null ? null : e.getTextContent().strip();
    }
}
