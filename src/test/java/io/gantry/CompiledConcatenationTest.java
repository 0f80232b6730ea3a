package io.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Gantry's classes are compiled with {@code -XDstringConcat=inline} (pom.xml): string
 * concatenation as {@code StringBuilder} code, not an {@code invokedynamic} call site that
 * {@code StringConcatFactory} links on its first run (method handles and classes spun at run time,
 * about 0.12 s of a cold JDK 17 pull's CPU; docs/benchmarks.md). A build that loses the option
 * fails here: some class's constant pool then names {@code StringConcatFactory}.
 */
class CompiledConcatenationTest {

    @Test
    void noMainClassLinksStringConcatenationAtRunTime() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes).as("main classes (a directory under Maven)").isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).as("class files found").hasSizeGreaterThan(300);
        List<String> linking = files.stream().filter(CompiledConcatenationTest::namesStringConcatFactory)
                .map(p -> classes.relativize(p).toString()).toList();
        assertThat(linking).isEmpty();
    }

    /** Whether the class file's constant pool names the factory (its UTF-8 entries are plain ASCII here). */
    private static boolean namesStringConcatFactory(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
                    .contains("java/lang/invoke/StringConcatFactory");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
