package dev.tandem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link InvalidInputException#requireText}: the one-pass check answers as the plain checks, in the same order. */
class RequireTextTest {

    /** The checks as first written: blank, then length, then the first control character. */
    private static String reference(String value, int max) {
        if (value.isBlank()) {
            return "blank";
        }
        if (value.length() > max) {
            return "too long";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "control at " + i;
            }
        }
        return "ok";
    }

    private static String actual(String value, int max) {
        try {
            assertThat(InvalidInputException.requireText(value, "field", max)).isSameAs(value);
            return "ok";
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            if (m.contains("control character at index ")) {
                return "control at " + m.substring(m.lastIndexOf(' ') + 1);
            }
            if (m.contains("blank")) {
                return "blank";
            }
            return "too long";
        }
    }

    @Property(tries = 3000)
    void answersAsTheSeparateChecks(@ForAll("texts") String value, @ForAll("limits") int max) {
        assertThat(actual(value, max)).isEqualTo(reference(value, max));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> interesting = Arbitraries.of(' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u009f', '\u00a0', '\u2003',
                '\u3000', 'a', 'Z', '-', '\u00e9', '\ud83d', '\ude00');
        return Arbitraries.oneOf(interesting.list().ofMaxSize(12).map(RequireTextTest::join), Arbitraries.strings().ofMaxLength(12));
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(1, 14);
    }

    private static String join(java.util.List<Character> chars) {
        StringBuilder b = new StringBuilder();
        chars.forEach(b::append);
        return b.toString();
    }

    @Test
    void namesTheFieldAndWhatWasWrong() {
        assertThatThrownBy(() -> InvalidInputException.requireText(" \t ", "streamId", 10)).hasMessageContaining("streamId").hasMessageContaining("blank");
        assertThatThrownBy(() -> InvalidInputException.requireText("ab\u0001c", "streamId", 10)).hasMessageContaining("index 2");
        assertThatThrownBy(() -> InvalidInputException.requireText("abcdef", "streamId", 3)).hasMessageContaining("streamId");
        assertThatThrownBy(() -> InvalidInputException.requireText(null, "streamId", 3)).hasMessageContaining("streamId");
    }
}
