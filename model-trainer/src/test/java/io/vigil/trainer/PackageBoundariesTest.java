package io.vigil.trainer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries that keep the trainer's packages usable on their own (the demo calls Trainer and
 * Publisher directly). Plain Jupiter tests: the ArchUnit JUnit engine is not discovered by this build.
 */
class PackageBoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vigil.trainer");
    }

    @Test
    void onlyTheCliUsesPicocliAndNothingDependsOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..trainer.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("picocli..", "..trainer.cli..")
                .check(classes);
    }

    @Test
    void onlyPublishingTalksToKafka() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..trainer.publish..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .check(classes);
    }

    @Test
    void historyEvaluationAndPublishingDoNotReachIntoTraining() {
        noClasses()
                .that()
                .resideInAnyPackage("..trainer.history..", "..trainer.evaluation..", "..trainer.publish..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..trainer.training..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("..trainer.history..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..trainer.evaluation..", "..trainer.publish..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("..trainer.publish..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..trainer.history..", "..trainer.evaluation..")
                .check(classes);
    }
}
