package dev.tandem.example.quickstart;

/**
 * The stock of one SKU in the inventory service, folded from its events; {@link StockDecider} holds the rules.
 *
 * <p>Every unit is either available or reserved by an order: {@code available + reserved} is what was restocked.
 *
 * @param available units an order can still reserve
 * @param reserved units held by orders
 */
public record Stock(int available, int reserved) {

    /** A SKU that has never been restocked. */
    public static final Stock NONE = new Stock(0, 0);

    /** What happened to a SKU's stock. */
    public sealed interface Event {}

    /** {@code units} arrived in the warehouse. */
    public record Restocked(int units) implements Event {}

    /** Order {@code order} reserved {@code units}: the action of the saga's first step. */
    public record Reserved(String order, int units) implements Event {}

    /** Order {@code order} gave its {@code units} back: the compensation of {@link Reserved}. */
    public record Released(String order, int units) implements Event {}

    /** This stock with {@code event} applied. */
    public Stock evolve(Event event) {
        return switch (event) {
            case Restocked e -> new Stock(available + e.units(), reserved);
            case Reserved e -> new Stock(available - e.units(), reserved + e.units());
            case Released e -> new Stock(available + e.units(), reserved - e.units());
        };
    }
}
