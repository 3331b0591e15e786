package dev.tandem.cli;

import dev.tandem.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tandem} command. */
@Command(
        name = "tandem",
        mixinStandardHelpOptions = true,
        version = "tandem 0.1.0-SNAPSHOT",
        description = "Distributed transactions across microservices, built on event streams.",
        subcommands = {DemoCommand.class, BankCommand.class, CoordinatorCommand.class, AdminCommand.class, ChaosCommand.class, BenchCommand.class,
                SimCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests set its output streams). */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::refuseInvalidInput);
    }

    /** Invalid input (an option's value a command refused) is a usage error: its message and exit code 2, no stack trace. */
    private static int refuseInvalidInput(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof InvalidInputException) {
            command.getErr().println("tandem " + command.getCommandName() + ": " + e.getMessage());
            command.getErr().flush();
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
