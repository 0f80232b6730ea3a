package io.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.gantry.testing.Commands;
import io.gantry.testing.DockerdExtension;
import io.gantry.testing.DockerdPeer;
import io.gantry.testing.RegistryExtension;
import io.gantry.testing.RegistryPeer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The fast unit run ({@code ./mvnw test -DexcludedGroups=peer,gui}, README) leaves out every test
 * class tagged {@code peer} (starts a real registry, dockerd, skopeo, umoci, a child process, or
 * mounts a tmpfs) or {@code gui} (TestFX). This keeps the tags honest: a test class that starts a
 * peer or a JavaFX application without its tag fails here, instead of slowing or breaking the fast
 * run.
 */
class TestTagsTest {

    @Test
    void everyTestThatStartsAPeerOrAWindowIsTagged() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("io.gantry");
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (JavaClass test : tests) {
            if (!test.getSimpleName().endsWith("Test") || test.isNestedClass() || test.getEnclosingClass().isPresent()) {
                continue;
            }
            checked++;
            Set<String> tags = Arrays.stream(test.reflect().getAnnotationsByType(Tag.class))
                    .map(Tag::value).collect(Collectors.toSet());
            if (startsAPeer(test) && !tags.contains("peer")) {
                missing.add(test.getSimpleName() + " starts a real peer or process but is not @Tag(\"peer\")");
            }
            if (extendedWith(test, ApplicationExtension.class) && !tags.contains("gui")) {
                missing.add(test.getSimpleName() + " is a TestFX test but is not @Tag(\"gui\")");
            }
        }
        assertThat(checked).as("test classes found").isGreaterThan(50);
        assertThat(missing).isEmpty();
    }

    private static boolean startsAPeer(JavaClass test) {
        if (extendedWith(test, RegistryExtension.class) || extendedWith(test, DockerdExtension.class)) {
            return true;
        }
        // Direct starts; the overloads taking a ToolFinder are used to test a missing tool, which
        // starts nothing.
        return test.getAccessesFromSelf().stream().anyMatch(TestTagsTest::startsSomething);
    }

    private static boolean startsSomething(JavaAccess<?> access) {
        String owner = access.getTargetOwner().getName();
        String name = access.getName();
        boolean noArgs = access instanceof JavaCall<?> call && call.getTarget().getRawParameterTypes().isEmpty();
        return owner.equals(ProcessBuilder.class.getName()) && name.equals("<init>")
                || owner.equals(Commands.class.getName()) && name.equals("run")
                || (owner.equals(DockerdPeer.class.getName()) || owner.equals(RegistryPeer.class.getName()))
                        && name.equals("start") && noArgs;
    }

    private static boolean extendedWith(JavaClass test, Class<?> extension) {
        ExtendWith extendWith = test.reflect().getAnnotation(ExtendWith.class);
        return extendWith != null && Arrays.asList(extendWith.value()).contains(extension);
    }
}
