package dev.tandem.example.bank.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process started from this JVM (same Java, same class path) running {@code mainClass}, ready once its port
 * accepts connections; it can be killed (SIGKILL), paused (SIGSTOP), resumed (SIGCONT) and started again.
 * Processes still running when this JVM exits are killed, so an aborted run leaves none behind.
 */
public final class ServiceProcess implements FaultTarget {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-service-process-reaper").unstarted(
                () -> RUNNING.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly))));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-service-process-reaper-2").unstarted(
                () -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final int port;
    private final String mainClass;
    private final List<String> args;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;

    public ServiceProcess(String name, int port, String mainClass, List<String> jvmOptions, List<String> args, Path log) {
        this.name = name;
        this.port = port;
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
        this.log = log;
    }

    /** A bank example service process ({@link NodeMain}) with a small heap. */
    public static ServiceProcess node(String name, int port, List<String> args, Path log) {
        return new ServiceProcess(name, port, NodeMain.class.getName(),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                args, log);
    }

    /**
     * A free TCP port on the loopback interface, for a child process to listen on. Chosen below the kernel's usual
     * ephemeral range (32768 and up), so that no outgoing connection of this machine can take it between this check
     * and the child's bind; an ephemeral port only if none of those is free.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the process and waits until its port accepts connections (at most {@code timeout}). */
    public void start(Duration timeout) throws IOException, InterruptedException {
        launch();
        awaitReady(timeout);
    }

    /** Starts the process without waiting for it to be ready (see {@link #awaitReady}). */
    public void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Process started = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        synchronized (this) {
            process = started;
        }
        RUNNING.add(started);
    }

    /** Waits until the launched process's port accepts connections; kills it when it does not within {@code timeout}. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Process started;
        synchronized (this) {
            started = process;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts()) {
            if (!started.isAlive()) {
                RUNNING.remove(started);
                throw new IOException(name + " exited with " + started.exitValue() + " while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException(name + " did not open port " + port + " within " + timeout + "; see " + log);
            }
            Thread.sleep(50); // polling a child process for readiness: there is nothing to wait on
        }
    }

    /** Starts the process and waits up to 90 s until it is ready. */
    @Override
    public void start() throws IOException, InterruptedException {
        start(Duration.ofSeconds(90));
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL (which ends a paused process too), then waits for the process to be gone. */
    @Override
    public void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        p.waitFor();
        RUNNING.remove(p);
    }

    /** SIGTERM (a clean shutdown), then SIGKILL if it is still running after {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        terminate();
        awaitExit(grace);
    }

    /** Sends SIGTERM (after SIGCONT, in case it is paused) without waiting. */
    public void terminate() throws InterruptedException {
        if (alive()) {
            resume();
            Process p;
            synchronized (this) {
                p = process;
            }
            p.destroy();
        }
    }

    /** Waits up to {@code grace} for the process to exit, then kills it. */
    public void awaitExit(Duration grace) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return;
        }
        if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
        }
        RUNNING.remove(p);
    }

    /** SIGSTOP: the process stops running but keeps its sockets open. */
    @Override
    public void pause() throws InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT. */
    @Override
    public void resume() throws InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws InterruptedException {
        long pid = pid();
        if (pid < 0) {
            return;
        }
        signal(signal, pid);
    }

    /** Sends {@code signal} (e.g. {@code -STOP}) to process {@code pid} with {@code kill}. */
    public static void signal(String signal, long pid) throws InterruptedException {
        try {
            new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot send " + signal + " to " + pid, e);
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }
}
