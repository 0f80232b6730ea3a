package io.gantry;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.gantry.registry.Page;
import io.gantry.registry.RegistryClient;
import io.gantry.registry.SearchPage;
import io.gantry.registry.SearchResult;
import io.gantry.registry.Sleeper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md, enforced: dependencies point down only, and only {@code ui} touches
 * JavaFX. One difference from DESIGN.md's picture: the {@code ImageStore} port lives in
 * {@code engine}, and the embedded store in {@code store} implements it, so {@code store} sits
 * above {@code engine}.
 *
 * <p>Plain JUnit tests calling {@code check}, rather than {@code @ArchTest} fields: the ArchUnit
 * engine reported "Tests run: 0" under Surefire with JUnit 5.13, and a rule that never runs
 * cannot fail.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gantry");
    }

    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("App").definedBy("io.gantry.app..")
            .layer("Ui").definedBy("io.gantry.ui..")
            .layer("Cli").definedBy("io.gantry.cli..")
            .layer("Service").definedBy("io.gantry.service..")
            .layer("Store").definedBy("io.gantry.store..")
            .layer("Engine").definedBy("io.gantry.engine..")
            .layer("Registry").definedBy("io.gantry.registry..")
            .layer("Core").definedBy("io.gantry.core..")
            .whereLayer("App").mayNotBeAccessedByAnyLayer()
            .whereLayer("Ui").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Cli").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Service").mayOnlyBeAccessedByLayers("Ui", "Cli", "App")
            .whereLayer("Store").mayOnlyBeAccessedByLayers("Service", "Cli", "App")
            .whereLayer("Engine").mayOnlyBeAccessedByLayers("Store", "Service", "Ui", "Cli", "App")
            .whereLayer("Registry").mayOnlyBeAccessedByLayers("Engine", "Store", "Service", "Ui", "Cli", "App")
            .whereLayer("Core").mayOnlyBeAccessedByLayers("Registry", "Engine", "Store", "Service", "Ui", "Cli", "App");

    static final ArchRule onlyUiImportsJavaFx = noClasses().that().resideOutsideOfPackage("io.gantry.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..",
                    "org.kordamp.ikonli..")
            .because("only the ui layer may use JavaFX (DESIGN.md)");

    static final ArchRule coreImportsNothingOfOurs = noClasses().that().resideInAPackage("io.gantry.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.gantry.app..", "io.gantry.ui..", "io.gantry.cli..", "io.gantry.service..",
                    "io.gantry.store..", "io.gantry.engine..", "io.gantry.registry..")
            .because("core holds value types that every layer shares");

    static final ArchRule serviceIsPlainJava = noClasses().that().resideInAPackage("io.gantry.service..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gantry.ui..", "io.gantry.cli..")
            .because("the GUI and the CLI are both thin layers over the services");

    static final ArchRule imageRulesArePureLogic = noClasses().that().resideInAPackage("io.gantry.engine.rules..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.gantry.app..", "io.gantry.ui..", "io.gantry.cli..", "io.gantry.service..",
                    "io.gantry.store..", "io.gantry.engine.docker..", "io.gantry.registry..")
            .because("Docker's image rules are one model that the store, the engines and the services share");

    static final ArchRule engineDockerIsNotUsedByTheEmbeddedStore = noClasses().that()
            .resideInAPackage("io.gantry.store..")
            .should().dependOnClassesThat().resideInAPackage("io.gantry.engine.docker..")
            .because("the embedded store knows the ImageStore port, not the Docker engine");

    static final ArchRule onlyTheClusterAdapterImportsFabric8 = noClasses().that()
            .resideOutsideOfPackage("io.gantry.engine.cluster.fabric8..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..")
            .because("fabric8's Kubernetes client stays behind the engine.cluster port (DESIGN.md); its model is "
                    + "translated into Gantry's records in engine.cluster.fabric8");

    static final ArchRule clusterPortAndRulesArePureLogic = noClasses().that().resideInAPackage("io.gantry.engine.cluster")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.gantry.app..", "io.gantry.ui..", "io.gantry.cli..", "io.gantry.service..", "io.gantry.store..",
                    "io.gantry.engine.docker..", "io.gantry.engine.containerd..", "io.gantry.engine.cluster.fabric8..",
                    "io.gantry.registry..")
            .because("the cluster port and the kubelet's pull rules are Gantry's own types and pure logic over core");

    /** The registry client's façade; the rest of {@code registry} (callers, pullers, auth) is its inside. */
    private static final DescribedPredicate<JavaClass> REGISTRY_FACADE = JavaClass.Predicates.belongToAnyOf(
            RegistryClient.class, Page.class, SearchPage.class, SearchResult.class, Sleeper.class);

    /** A concrete adapter: the embedded store, the Docker engine adapter, the registry client's inside. */
    private static final DescribedPredicate<JavaClass> CONCRETE_ADAPTER = JavaClass.Predicates
            .resideInAnyPackage("io.gantry.store..", "io.gantry.engine.docker..", "io.gantry.engine.containerd..",
                    "io.gantry.engine.cluster.fabric8..")
            .or(JavaClass.Predicates.resideInAPackage("io.gantry.registry..").and(DescribedPredicate.not(REGISTRY_FACADE)))
            .as("are a concrete adapter (store, engine.docker, engine.containerd, engine.cluster.fabric8, the registry "
                    + "client's inside)");

    static final ArchRule uiKnowsNoAdapter = noClasses().that().resideInAPackage("io.gantry.ui..")
            .should().dependOnClassesThat(CONCRETE_ADAPTER)
            .because("the window works through the ImageStore port and its capabilities; the composition root (app) "
                    + "alone knows the adapters");

    static final ArchRule cliKnowsNoAdapter = noClasses().that().resideInAPackage("io.gantry.cli..")
            .should().dependOnClassesThat(CONCRETE_ADAPTER)
            .because("the command line works through the ImageStore port and its capabilities; the composition root "
                    + "(app) alone knows the adapters");

    static final ArchRule serviceKnowsNoAdapter = noClasses().that().resideInAPackage("io.gantry.service..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gantry.store..", "io.gantry.engine.docker..",
                    "io.gantry.engine.containerd..", "io.gantry.engine.cluster.fabric8..")
            .because("the use cases work on the ImageStore and Clusters ports, never on a concrete adapter");

    @Test
    void uiUsesThePortNotTheAdapters() {
        uiKnowsNoAdapter.check(classes);
    }

    @Test
    void cliUsesThePortNotTheAdapters() {
        cliKnowsNoAdapter.check(classes);
    }

    @Test
    void servicesUseThePortNotTheAdapters() {
        serviceKnowsNoAdapter.check(classes);
    }

    @Test
    void layersPointDownOnly() {
        layers.check(classes);
    }

    @Test
    void onlyUiUsesJavaFx() {
        onlyUiImportsJavaFx.check(classes);
    }

    @Test
    void coreStandsAlone() {
        coreImportsNothingOfOurs.check(classes);
    }

    @Test
    void servicesKnowNoFrontEnd() {
        serviceIsPlainJava.check(classes);
    }

    @Test
    void imageRulesStandBelowTheirUsers() {
        imageRulesArePureLogic.check(classes);
    }

    @Test
    void fabric8StaysInItsAdapter() {
        onlyTheClusterAdapterImportsFabric8.check(classes);
    }

    @Test
    void clusterPortStandsOnCoreAlone() {
        clusterPortAndRulesArePureLogic.check(classes);
    }

    @Test
    void embeddedStoreKnowsOnlyThePort() {
        engineDockerIsNotUsedByTheEmbeddedStore.check(classes);
    }
}
