package dev.tandem.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java excerpts of docs/guide.md are the code of the files they name, so the guide cannot drift from the code
 * it explains. An excerpt names its file by the last link to a {@code .java} file before it (or continues the file
 * of the excerpt before it, within one section); a line {@code // ...} stands for left-out lines.
 */
class GuideExcerptsTest {

    private static final Path GUIDE = Path.of("../../docs/guide.md");
    private static final Pattern LINK = Pattern.compile("\\]\\((\\.\\./examples/[^)]+\\.java)\\)");
    private static final String ELISION = "// ...";

    /** A Java code block of the guide, and the file it quotes (null: it quotes none). */
    private record Excerpt(String file, List<String> lines) {}

    @Test
    void everyJavaExcerptIsCodeOfTheFileItNames() throws IOException {
        List<Excerpt> excerpts = excerpts(Files.readAllLines(GUIDE));

        List<Excerpt> quoted = excerpts.stream().filter(e -> e.file() != null).toList();
        assertThat(quoted).hasSizeGreaterThanOrEqualTo(13);
        assertThat(excerpts.stream().filter(e -> e.file() == null))
                .as("only the PostgreSQL and Kafka wiring is not quoted from a file")
                .singleElement().satisfies(e -> assertThat(String.join("\n", e.lines())).contains("PostgresEventStore.open"));
        for (Excerpt excerpt : quoted) {
            List<String> file = Files.readAllLines(GUIDE.getParent().resolve(excerpt.file()));
            assertThat(appearsInOrder(excerpt.lines(), file))
                    .as("the excerpt of %s in the guide is not in that file:%n%s", excerpt.file(), String.join("\n", excerpt.lines()))
                    .isTrue();
        }
    }

    private static List<Excerpt> excerpts(List<String> guide) {
        List<Excerpt> excerpts = new ArrayList<>();
        StringBuilder before = new StringBuilder();
        String file = null;
        for (int i = 0; i < guide.size(); i++) {
            String line = guide.get(i);
            if (!line.startsWith("```java")) {
                before.append(line).append('\n');
                continue;
            }
            Matcher link = LINK.matcher(before);
            String named = null;
            while (link.find()) {
                named = link.group(1);
            }
            boolean newSection = before.toString().lines().anyMatch(l -> l.startsWith("#"));
            file = named != null ? named : newSection ? null : file;
            List<String> lines = new ArrayList<>();
            for (i++; !guide.get(i).startsWith("```"); i++) {
                lines.add(guide.get(i));
            }
            excerpts.add(new Excerpt(file, lines));
            before.setLength(0);
        }
        return excerpts;
    }

    /** Whether each run of {@code excerpt}'s lines between elisions is a run of {@code file}'s lines, in order. */
    private static boolean appearsInOrder(List<String> excerpt, List<String> file) {
        int from = 0;
        List<String> run = new ArrayList<>();
        for (String line : excerpt) {
            if (line.strip().equals(ELISION)) {
                from = find(run, file, from);
                if (from < 0) {
                    return false;
                }
                run.clear();
            } else {
                run.add(line);
            }
        }
        return find(run, file, from) >= 0;
    }

    /** Where {@code run} ends in {@code file} at or after line {@code from}, or -1. */
    private static int find(List<String> run, List<String> file, int from) {
        for (int start = from; start + run.size() <= file.size(); start++) {
            if (file.subList(start, start + run.size()).equals(run)) {
                return start + run.size();
            }
        }
        return -1;
    }
}
