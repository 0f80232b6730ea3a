package io.gantry.service.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The replay's own rules, entry by entry (the analyser's tests cover them through real tars): the
 * order in which changes and tree children come out, which the replay keeps independent of how it
 * stores a directory's children, and the directory it places an entry in, which it remembers
 * from the entry before.
 */
class FileTreeReplayTest {

    /** Names whose hash order differs from their sorted order, with upper case, digits and non-ASCII. */
    private static final List<String> NAMES = List.of("zeta", "Alpha", "beta", "a10", "a9", "ä-umlaut", "_x", "0", "b",
            "f0001.txt", "f0002.txt", "f0010.txt", "Zed", "é", "yy", "m", "n", "o", "p", "q", "r", "s", "t");

    private static LayerEntry file(String path, long size) {
        return new LayerEntry(path, path, EntryType.FILE, size, 0644, 0, 0, "", Set.of());
    }

    private static LayerEntry dir(String path) {
        return new LayerEntry(path, path + "/", EntryType.DIRECTORY, 0, 0755, 0, 0, "", Set.of());
    }

    private static LayerEntry whiteout(String path) {
        return new LayerEntry(path, path, EntryType.WHITEOUT, 0, 0644, 0, 0, "", Set.of());
    }

    private static LayerEntry opaque(String dir) {
        return new LayerEntry(dir, dir + "/.wh..wh..opq", EntryType.OPAQUE_WHITEOUT, 0, 0644, 0, 0, "", Set.of());
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(Comparator.naturalOrder());
        return copy;
    }

    @Test
    void anOpaqueDirectoryDeletesTheLowerChildrenInNameOrder() {
        FileTreeReplay replay = new FileTreeReplay();
        List<LayerEntry> lower = new ArrayList<>();
        NAMES.forEach(name -> lower.add(file("d/" + name, name.length())));
        replay.apply(0, lower);

        FileTreeReplay.LayerOutcome outcome = replay.apply(1, List.of(file("d/new", 1), opaque("d")));

        List<String> deleted = sorted(NAMES).stream().map(name -> "d/" + name).toList();
        assertThat(outcome.changes()).extracting(FileChange::path).containsExactlyElementsOf(
                concat(deleted, List.of("d/new")));
        assertThat(outcome.changes()).extracting(FileChange::kind).containsOnly(ChangeKind.DELETED, ChangeKind.ADDED);
        assertThat(outcome.wastedBytes()).isEqualTo(NAMES.stream().mapToLong(String::length).sum());
    }

    @Test
    void theFrozenTreeListsChildrenInNameOrderAtEveryLevel() {
        FileTreeReplay replay = new FileTreeReplay();
        List<LayerEntry> entries = new ArrayList<>();
        for (String name : NAMES) {
            entries.add(file(name, 1));
            entries.add(file("sub/" + name + "/leaf", 2));
        }
        replay.apply(0, entries);
        replay.apply(1, List.of(whiteout("sub/b"), whiteout("zeta")));

        FileNode root = replay.freeze(1);

        List<String> top = new ArrayList<>(NAMES);
        top.add("sub");
        assertThat(root.children()).extracting(FileNode::name).containsExactlyElementsOf(sorted(top));
        FileNode sub = root.children().stream().filter(n -> n.name().equals("sub")).findFirst().orElseThrow();
        assertThat(sub.children()).extracting(FileNode::name).containsExactlyElementsOf(sorted(NAMES));
        assertThat(sub.children()).filteredOn(FileNode::deleted).extracting(FileNode::path).containsExactly("sub/b");
        assertThat(root.children()).filteredOn(FileNode::deleted).extracting(FileNode::path).containsExactly("zeta");
    }

    @Test
    void entriesPlacedAfterTheirDirectoryWasReplacedGoIntoTheNewOne() {
        FileTreeReplay replay = new FileTreeReplay();
        FileTreeReplay.LayerOutcome outcome = replay.apply(0, List.of(
                file("a/x", 1), file("a/y", 2),   // the same parent twice: remembered
                file("a", 3),                     // a file replaces directory a (and a/x, a/y)
                file("a/z", 4),                   // a directory again, made implicitly
                file("b/x", 5), file("a/w", 6), file("bb/x", 7), file("b/y", 8)));

        assertThat(outcome.changes()).as("the file a took the place of the directory a's change; the directory made"
                + " for a/z is a change of its own").extracting(FileChange::path, FileChange::kind, FileChange::bytes)
                .containsExactly(
                tuple("a", ChangeKind.ADDED, 3L),
                tuple("a/x", ChangeKind.ADDED, 1L),
                tuple("a/y", ChangeKind.ADDED, 2L),
                tuple("a", ChangeKind.ADDED, 0L),
                tuple("a/z", ChangeKind.ADDED, 4L),
                tuple("b", ChangeKind.ADDED, 0L),
                tuple("b/x", ChangeKind.ADDED, 5L),
                tuple("a/w", ChangeKind.ADDED, 6L),
                tuple("bb", ChangeKind.ADDED, 0L),
                tuple("bb/x", ChangeKind.ADDED, 7L),
                tuple("b/y", ChangeKind.ADDED, 8L));
        assertThat(replay.wastedBytes()).as("a/x, a/y and the file a, each replaced in the same layer").isEqualTo(6);
        FileNode root = replay.freeze(0);
        FileNode a = root.children().get(0);
        assertThat(a.path()).isEqualTo("a");
        assertThat(a.isDirectory()).isTrue();
        assertThat(a.children()).extracting(FileNode::name).containsExactly("w", "z");
        assertThat(root.children()).extracting(FileNode::name).containsExactly("a", "b", "bb");
    }

    @Test
    void aPathDeletedAndWrittenAgainByOneLayerIsModifiedAndOthersAreNot() {
        FileTreeReplay replay = new FileTreeReplay();
        replay.apply(0, List.of(file("etc/passwd", 10), file("etc/group", 20), dir("var")));

        FileTreeReplay.LayerOutcome outcome = replay.apply(1, List.of(
                file("etc/passwd", 11), whiteout("etc/passwd"), file("etc/new", 1), whiteout("etc/gone")));

        assertThat(outcome.changes()).extracting(FileChange::path, FileChange::kind, FileChange::bytes).containsExactly(
                tuple("etc/passwd", ChangeKind.MODIFIED, 11L),
                tuple("etc/gone", ChangeKind.DELETED, 0L),
                tuple("etc/new", ChangeKind.ADDED, 1L));
        assertThat(outcome.wastedBytes()).isEqualTo(10);

        FileTreeReplay.LayerOutcome next = replay.apply(2, List.of(file("etc/passwd", 12), file("var/log", 5)));

        assertThat(next.changes()).extracting(FileChange::path, FileChange::kind).containsExactly(
                tuple("etc/passwd", ChangeKind.MODIFIED), tuple("var/log", ChangeKind.ADDED));
        assertThat(replay.wastedFiles()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo("etc/passwd");
            assertThat(w.layers()).containsExactly(0, 1, 2);
            assertThat(w.wastedBytes()).isEqualTo(21);
            assertThat(w.removed()).isFalse();
        });
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
