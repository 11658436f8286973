package io.vigil.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers between Vigil's modules, checked on the main classes of every module (the harness's test
 * classpath holds them all). Maven's dependencies keep a module from reaching one it does not declare;
 * these rules also keep the shared modules free of the runtimes they must not need, so that a pom
 * change adding one fails here. See docs/architecture.md. Plain Jupiter tests: the ArchUnit JUnit
 * engine is not discovered by this build.
 */
class ArchitectureTest {

    private static final String SCHEMAS = "io.vigil.schemas..";
    private static final String SCORING = "io.vigil.scoring..";
    private static final String JOB = "io.vigil.job..";
    private static final String TRAINER = "io.vigil.trainer..";
    private static final String HARNESS = "io.vigil.harness..";
    private static final String BRIDGE = "io.vigil.bridge..";
    private static final String METRICS_REPORTER = "io.vigil.metrics..";
    private static final String KAFKA_ACCESS = "io.vigil.kafka..";
    private static final String FLINK = "org.apache.flink..";
    private static final String KAFKA = "org.apache.kafka..";

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModulesMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vigil");
    }

    @Test
    void everyModuleIsImported() {
        for (String module :
                new String[] {SCHEMAS, SCORING, KAFKA_ACCESS, JOB, TRAINER, HARNESS, BRIDGE, METRICS_REPORTER}) {
            String prefix = module.substring(0, module.length() - 2) + ".";
            assertThat(classes.stream()
                            .filter(c -> c.getPackageName().concat(".").startsWith(prefix))
                            .count())
                    .as("main classes of %s on the classpath", module)
                    .isPositive();
        }
    }

    @Test
    void schemasAndScoringNeedNeitherFlinkNorKafkaNorAnotherModule() {
        noClasses()
                .that()
                .resideInAnyPackage(SCHEMAS, SCORING)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FLINK, KAFKA, KAFKA_ACCESS, JOB, TRAINER, HARNESS, BRIDGE, METRICS_REPORTER)
                .check(classes);
    }

    @Test
    void kafkaAccessNeedsKafkasClientAndNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage(KAFKA_ACCESS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FLINK, SCHEMAS, SCORING, JOB, TRAINER, HARNESS, BRIDGE, METRICS_REPORTER)
                .check(classes);
    }

    @Test
    void schemasDependOnNoOtherVigilModule() {
        noClasses()
                .that()
                .resideInAPackage(SCHEMAS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SCORING)
                .check(classes);
    }

    @Test
    void theJobDoesNotReachIntoTheTrainer() {
        noClasses()
                .that()
                .resideInAPackage(JOB)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TRAINER, HARNESS, BRIDGE)
                .check(classes);
    }

    @Test
    void theTrainerRunsWithoutFlink() {
        noClasses()
                .that()
                .resideInAPackage(TRAINER)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FLINK, JOB, HARNESS, BRIDGE)
                .check(classes);
    }

    @Test
    void theDeployProgramsStandAlone() {
        noClasses()
                .that()
                .resideInAPackage(BRIDGE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SCORING, JOB, TRAINER, HARNESS, FLINK)
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(METRICS_REPORTER)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SCHEMAS, SCORING, JOB, TRAINER, HARNESS, BRIDGE)
                .check(classes);
    }

    @Test
    void nothingDependsOnTheHarness() {
        noClasses()
                .that()
                .resideOutsideOfPackage(HARNESS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(HARNESS)
                .check(classes);
    }
}
