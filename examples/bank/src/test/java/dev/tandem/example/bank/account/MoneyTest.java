package dev.tandem.example.bank.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Nested
    class Arithmetic {
        @Test
        void addsAndSubtractsExactly() {
            Money subject = Money.of(1050, "EUR");
            assertThat(subject.plus(Money.of(25, "EUR"))).isEqualTo(Money.of(1075, "EUR"));
            assertThat(subject.minus(Money.of(2000, "EUR"))).isEqualTo(Money.of(-950, "EUR"));
        }

        @Test
        void refusesAResultThatOverflowsALong() {
            Money subject = Money.of(Long.MAX_VALUE, "EUR");
            assertThatThrownBy(() -> subject.plus(Money.of(1, "EUR")))
                    .isInstanceOfSatisfying(MoneyException.class, e -> assertThat(e.reason()).isEqualTo(Refusal.Reason.AMOUNT_OVERFLOW))
                    .hasMessageContaining("does not fit");
            assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "EUR").minus(Money.of(1, "EUR"))).isInstanceOf(MoneyException.class);
        }

        @Test
        void refusesToMixCurrencies() {
            Money subject = Money.of(1, "EUR");
            assertThatThrownBy(() -> subject.plus(Money.of(1, "USD")))
                    .isInstanceOfSatisfying(MoneyException.class, e -> assertThat(e.reason()).isEqualTo(Refusal.Reason.CURRENCY_MISMATCH))
                    .hasMessageContaining("1 EUR").hasMessageContaining("1 USD");
            assertThatThrownBy(() -> subject.compareAmount(Money.of(1, "USD"))).isInstanceOf(MoneyException.class);
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsACurrencyThatIsNotThreeUpperCaseLetters() {
            assertThatThrownBy(() -> Money.of(1, "eur")).isInstanceOf(InvalidInputException.class).hasMessageContaining("'eur'");
            assertThatThrownBy(() -> Money.of(1, "EURO")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> Money.of(1, null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("currency");
        }
    }
}
