package dev.tandem.example.bank.node;

/** A process a chaos run may kill (SIGKILL) and start again, or pause (SIGSTOP) and resume (SIGCONT). */
public interface FaultTarget {

    String name();

    /** SIGKILL; returns once the process is gone. */
    void kill() throws Exception;

    /** Starts it again on the same data and ports; returns once it is ready. */
    void start() throws Exception;

    /** SIGSTOP. */
    void pause() throws Exception;

    /** SIGCONT. */
    void resume() throws Exception;
}
